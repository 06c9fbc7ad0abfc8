// The one place the schema generator imports the contract from (re-point these when the contract moves).
export { cancelOrderInputSchema, providerSchema } from '../../src/workflows/input';
export { bulkInputSchema } from '../../src/workflows/bulk-input';
export { OUTCOMES, STATES } from '../../src/workflows/model';
export type { CancelOrderResult, CancelStatus, StepName } from '../../src/workflows/model';
export type { AbortArgs, RetryArgs } from '../../src/workflows/messages';
export { abortSignal, abortUpdate, retrySignal, retryUpdate, statusQuery } from '../../src/workflows/messages';
export { addOrdersUpdate, progressQuery } from '../../src/workflows/bulk-messages';
export type { AddOrdersArgs } from '../../src/workflows/bulk-messages';
export type { BulkProgress, BulkResult } from '../../src/workflows/bulk-model';
