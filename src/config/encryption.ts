import { z } from 'zod';
import { optional } from './env';

/** One configured data key: an id written into each payload's metadata and 32 bytes of AES-256 key. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * `PAYLOAD_ENCRYPTION_KEYS`: comma list of `keyId:base64(32 bytes)`; the first encrypts, all decrypt.
 * Messages name the entry's position and key id, never key material.
 */
export const encryptionKeys = optional
  .transform((raw, ctx): EncryptionKey[] | undefined => {
    if (raw === undefined) return undefined;
    const keys: EncryptionKey[] = [];
    const entries = raw.split(',').map((s) => s.trim());
    for (const [i, entry] of entries.entries()) {
      const at = `entry ${i + 1}`;
      const colon = entry.indexOf(':');
      const id = colon < 0 ? '' : entry.slice(0, colon).trim();
      const b64 = colon < 0 ? '' : entry.slice(colon + 1).trim();
      if (!KEY_ID.test(id)) {
        ctx.addIssue({ code: 'custom', message: `${at} must be keyId:base64 with a key id of [A-Za-z0-9._-]` });
        return z.NEVER;
      }
      const key = Buffer.from(b64, 'base64');
      if (!BASE64.test(b64) || key.length !== 32) {
        ctx.addIssue({ code: 'custom', message: `${at} (key id "${id}") must be 32 bytes in base64` });
        return z.NEVER;
      }
      if (keys.some((k) => k.id === id)) {
        ctx.addIssue({ code: 'custom', message: `${at}: key id "${id}" is listed twice` });
        return z.NEVER;
      }
      keys.push({ id, key });
    }
    return keys;
  })
  .describe('`keyId:base64(32 bytes)`, comma list: the first encrypts payloads, all decrypt (unset: plain JSON)');
