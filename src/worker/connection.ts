import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { z } from 'zod';
import { ConfigError } from './config';

const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));

/** The TEMPORAL_* variables: all a client (the CLI, a backend service) needs; no provider credentials. */
const clientEnvSchema = z.object({
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
  /** Where operators open the Web UI (links in `status`); defaults to the dev server's UI for a local address. */
  TEMPORAL_UI_URL: optional.pipe(z.url({ message: 'must be an http(s) URL' }).optional()),
});

export type TemporalEnv = Pick<
  z.infer<typeof clientEnvSchema>,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY'
>;
export type ClientEnv = z.infer<typeof clientEnvSchema>;

/** Read and check the client side's environment; a bad value throws a ConfigError naming the variable only. */
export function loadClientEnv(source: NodeJS.ProcessEnv = process.env): ClientEnv {
  const parsed = clientEnvSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  if (Boolean(parsed.data.TEMPORAL_TLS_CERT) !== Boolean(parsed.data.TEMPORAL_TLS_KEY)) {
    throw new ConfigError('invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together');
  }
  return parsed.data;
}

/** Address, TLS and API key for either connection kind: an API key implies TLS; cert + key files give mTLS. */
export function connectionOptions(env: TemporalEnv): { address: string; tls?: TLSConfig | boolean; apiKey?: string } {
  const out: { address: string; tls?: TLSConfig | boolean; apiKey?: string } = { address: env.TEMPORAL_ADDRESS };
  if (env.TEMPORAL_TLS_CERT && env.TEMPORAL_TLS_KEY) {
    out.tls = {
      clientCertPair: {
        crt: readPem('TEMPORAL_TLS_CERT', env.TEMPORAL_TLS_CERT),
        key: readPem('TEMPORAL_TLS_KEY', env.TEMPORAL_TLS_KEY),
      },
    };
  }
  if (env.TEMPORAL_API_KEY) {
    out.apiKey = env.TEMPORAL_API_KEY;
    out.tls ??= true;
  }
  return out;
}

function readPem(name: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    // The path is not a secret, the file's content is: only the path and the OS error are shown.
    throw new ConfigError(`invalid configuration: ${name} cannot be read (${(err as NodeJS.ErrnoException).code})`);
  }
}

/** The worker's connection (Rust core; loaded only here so the CLI's client commands start fast). */
export async function connectWorker(env: TemporalEnv): Promise<NativeConnection> {
  const { NativeConnection } = await import('@temporalio/worker');
  return NativeConnection.connect(connectionOptions(env));
}

/** A client on a lazy connection: nothing touches the network until the first call (input is checked first). */
export function lazyClient(env: TemporalEnv): { client: Client; connection: Connection } {
  const connection = Connection.lazy(connectionOptions(env));
  return { client: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }), connection };
}

/** A connected client (fails now when the server cannot be reached). */
export async function connectClient(env: TemporalEnv): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect(connectionOptions(env));
  return { client: new Client({ connection, namespace: env.TEMPORAL_NAMESPACE }), connection };
}
