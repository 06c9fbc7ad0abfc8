import { z } from 'zod';
import { encryptionKeys } from './encryption';
import { ConfigError, list, optional, parseEnv } from './env';
import type { EncryptionKey } from './encryption';

/** Every variable `cancel-orders codec-server` reads. */
export const codecServerEnvSchema = z.object({
  PAYLOAD_ENCRYPTION_KEYS: encryptionKeys,
  CODEC_SERVER_CORS_ORIGINS: list
    .transform((l) => l ?? ['http://localhost:8233', 'http://127.0.0.1:8233'])
    .meta({
      description: "comma list of browser origins allowed to call (the Web UI's)",
      default: 'http://localhost:8233,http://127.0.0.1:8233',
    }),
  CODEC_SERVER_TOKEN: optional.describe(
    'when set, every /encode and /decode call needs `Authorization: Bearer <token>`',
  ),
});

export interface CodecServerEnv {
  keys: EncryptionKey[];
  corsOrigins: string[];
  token?: string;
}

/** Read and check the codec server's environment; it has nothing to do without keys. */
export function loadCodecServerEnv(source: NodeJS.ProcessEnv = process.env): CodecServerEnv {
  const env = parseEnv(codecServerEnvSchema, source);
  if (!env.PAYLOAD_ENCRYPTION_KEYS?.length) {
    throw new ConfigError('invalid configuration: PAYLOAD_ENCRYPTION_KEYS is required by the codec server');
  }
  return {
    keys: env.PAYLOAD_ENCRYPTION_KEYS,
    corsOrigins: env.CODEC_SERVER_CORS_ORIGINS,
    token: env.CODEC_SERVER_TOKEN,
  };
}
