import { z } from 'zod';
import { encryptionKeys } from './encryption';
import { checkTlsPair, optional, parseEnv } from './env';

/** The TEMPORAL_* variables: all a client (the CLI, a backend service) needs; no provider credentials. */
export const temporalEnvFields = {
  TEMPORAL_ADDRESS: z
    .string()
    .trim()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'must look like host:port')
    .default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().trim().min(1, 'must not be empty').default('default'),
  TEMPORAL_TASK_QUEUE: z.string().trim().min(1, 'must not be empty').default('order-cancellation'),
  TEMPORAL_API_KEY: optional,
  TEMPORAL_TLS_CERT: optional,
  TEMPORAL_TLS_KEY: optional,
  /** `keyId:base64(32 bytes)`, comma list: the first encrypts payloads, all decrypt (unset: plain JSON). */
  PAYLOAD_ENCRYPTION_KEYS: encryptionKeys,
};

/** Every variable a client process (the CLI's client commands) reads. */
export const clientEnvSchema = z.object({
  ...temporalEnvFields,
  /** Where operators open the Web UI (links in `status`); defaults to the dev server's UI for a local address. */
  TEMPORAL_UI_URL: optional.pipe(z.url({ message: 'must be an http(s) URL' }).optional()),
});

export type ClientEnv = z.infer<typeof clientEnvSchema>;
/** What a connection needs (worker or client). */
export type TemporalEnv = Pick<
  ClientEnv,
  | 'TEMPORAL_ADDRESS'
  | 'TEMPORAL_NAMESPACE'
  | 'TEMPORAL_API_KEY'
  | 'TEMPORAL_TLS_CERT'
  | 'TEMPORAL_TLS_KEY'
  | 'PAYLOAD_ENCRYPTION_KEYS'
>;

/** Read and check the client side's environment; a bad value throws a ConfigError naming the variable only. */
export function loadClientEnv(source: NodeJS.ProcessEnv = process.env): ClientEnv {
  const env = parseEnv(clientEnvSchema, source);
  checkTlsPair(env);
  return env;
}
