import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { PayloadEncryptionError } from '../contract/errors';
import type { EncryptionKey } from '../config/encryption';

/** Metadata of an encrypted payload (the rest of the original payload, metadata included, is inside the cipher). */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const CIPHER_METADATA = 'encryption-cipher';
const CIPHER = 'AES256GCM';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/**
 * AES-256-GCM payload codec: the first key encrypts (fresh nonce per payload, key id as associated data), every
 * key decrypts. Payloads without our encoding pass through, so histories written before encryption stay readable.
 * With no keys it encodes nothing and refuses encrypted payloads with an error naming their key id.
 */
export class EncryptionCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: readonly EncryptionKey[]) {
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The key id new payloads are encrypted with (undefined: encryption off). */
  get encryptingKeyId(): string | undefined {
    return this.keys[0]?.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const current = this.keys[0];
    if (!current) return payloads;
    return payloads.map((p) => encrypt(current, p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => (isEncrypted(p) ? this.decrypt(p) : p));
  }

  private decrypt(p: Payload): Payload {
    const keyId = dec(p.metadata?.[KEY_ID_METADATA]) ?? '(none)';
    const key = this.byId.get(keyId);
    if (!key) {
      throw new PayloadEncryptionError(
        this.keys.length
          ? `payload is encrypted with key id "${keyId}", which is not in PAYLOAD_ENCRYPTION_KEYS`
          : `payload is encrypted with key id "${keyId}" but PAYLOAD_ENCRYPTION_KEYS is not set`,
        keyId,
      );
    }
    const data = Buffer.from(p.data ?? []);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, NONCE_BYTES));
      decipher.setAAD(Buffer.from(keyId));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(NONCE_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new PayloadEncryptionError(
        `payload encrypted with key id "${keyId}" failed authentication (different key material, or altered)`,
        keyId,
      );
    }
  }
}

/** True when a payload carries our encrypted encoding. */
export function isEncrypted(p: Payload): boolean {
  return dec(p.metadata?.encoding) === ENCRYPTED_ENCODING;
}

function encrypt(k: EncryptionKey, p: Payload): Payload {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', k.key, nonce);
  cipher.setAAD(Buffer.from(k.id));
  const plain = temporal.api.common.v1.Payload.encode(p).finish();
  const data = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: { encoding: enc(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: enc(k.id), [CIPHER_METADATA]: enc(CIPHER) },
    data,
  };
}
