import type { DataConverter } from '@temporalio/common';
import type { EncryptionKey } from '../config/encryption';
import { EncryptionCodec } from './encryption-codec';

export { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA, isEncrypted } from './encryption-codec';

/** Where the failure converter lives (the worker requires it; the workflow bundler bundles it). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The prebuilt bundle an encrypting worker uses instead of `bundle` (same code, encrypting failure converter). */
export function encryptedBundlePath(bundle: string): string {
  return bundle.replace(/(\.js)?$/, '.encrypted.js');
}

/**
 * The data converter for PAYLOAD_ENCRYPTION_KEYS, shared by worker, typed clients and CLI. Unset: plain JSON as
 * before, but a codec that names the key id of any encrypted payload it is asked to read.
 */
export function dataConverterFor(keys: readonly EncryptionKey[] | undefined): DataConverter {
  const payloadCodecs = [new EncryptionCodec(keys ?? [])];
  return keys?.length ? { payloadCodecs, failureConverterPath: FAILURE_CONVERTER_PATH } : { payloadCodecs };
}
