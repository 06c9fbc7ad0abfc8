import { DefaultFailureConverter } from '@temporalio/common';

/**
 * Loaded by path (worker and workflow bundle, when encryption is on): failure messages and stack traces move into
 * an encoded payload, so the codec encrypts them too (they can name an order id).
 */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
