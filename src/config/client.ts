import { z } from 'zod';
import { encryptionKeys } from './encryption';
import { checkTlsPair, optional, parseEnv } from './env';

/** The TEMPORAL_* variables: all a client (the CLI, a backend service) needs; no provider credentials. */
export const temporalEnvFields = {
  TEMPORAL_ADDRESS: z
    .string()
    .trim()
    .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/, 'must look like host:port')
    .default('localhost:7233')
    .describe('Temporal frontend host:port; with `npm start`, when set, no dev server is started'),
  TEMPORAL_NAMESPACE: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .default('default')
    .describe('Temporal namespace of the workflows'),
  TEMPORAL_TASK_QUEUE: z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .default('order-cancellation')
    .describe("main task queue; each provider's calls go to `<queue>-<provider>`"),
  TEMPORAL_API_KEY: optional.describe('Temporal Cloud API key (sent as a bearer token, with TLS)'),
  TEMPORAL_TLS_CERT: optional.describe('mTLS client certificate file (PEM); goes with TEMPORAL_TLS_KEY'),
  TEMPORAL_TLS_KEY: optional.describe('mTLS client key file (PEM); goes with TEMPORAL_TLS_CERT'),
  PAYLOAD_ENCRYPTION_KEYS: encryptionKeys,
};

/** Every variable a client process (the CLI's client commands) reads. */
export const clientEnvSchema = z.object({
  ...temporalEnvFields,
  TEMPORAL_UI_URL: optional
    .pipe(z.url({ message: 'must be an http(s) URL' }).optional())
    .describe("where operators open the Web UI (links in `status`); unset: the dev server's UI for a local address"),
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
