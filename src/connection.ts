import { readFileSync } from 'node:fs';
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import type { NativeConnection } from '@temporalio/worker';
import { dataConverterFor } from './codec';
import type { TemporalEnv } from './config/client';
import { ConfigError } from './config/env';

/**
 * The one place for connection options, shared by the worker, the typed clients and the CLI (the data converter
 * of PAYLOAD_ENCRYPTION_KEYS too). Address, TLS and API key for either connection kind: an API key implies TLS; cert + key files give mTLS.
 */
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
  return { client: newClient(connection, env), connection };
}

/** A connected client (fails now when the server cannot be reached). */
export async function connectClient(env: TemporalEnv): Promise<{ client: Client; connection: Connection }> {
  const connection = await Connection.connect(connectionOptions(env));
  return { client: newClient(connection, env), connection };
}

/** A client on `connection` with the environment's namespace and payload encryption. */
export function newClient(connection: Connection, env: TemporalEnv): Client {
  return new Client({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    dataConverter: dataConverterFor(env.PAYLOAD_ENCRYPTION_KEYS),
  });
}
