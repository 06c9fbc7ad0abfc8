import path from 'node:path';
import type { Client } from '@temporalio/client';
import type { ClientEnv } from '../../config';
import { devDataDir } from '../../config/dev-options';
import { devKeyFile } from '../../devserver/dev-key';
import { stackEnv } from '../../devserver/stack-file';
import type { CancellationClient } from '../cancellation-client';

/** Exit codes: 0 done, 1 error, 2 usage or not implemented, 3 the order did not end cancelled. */
export const EXIT = { OK: 0, ERROR: 1, USAGE: 2, NOT_CANCELLED: 3 } as const;

/** A failure the CLI reports as one line `error: <message>` with its exit code. */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number = EXIT.ERROR,
  ) {
    super(message);
  }
}

export interface Ctx {
  cancellations: CancellationClient;
  client: Client;
  env: ClientEnv;
}

/**
 * gRPC reconnects with a backoff growing to 2 minutes by default; a CLI waiting out an outage should notice the server
 * back within seconds.
 */
const CLI_CHANNEL_ARGS = { 'grpc.initial_reconnect_backoff_ms': 500, 'grpc.max_reconnect_backoff_ms': 5_000 };
/**
 * The SDK retries a call up to 10 times (~20 s) before it fails; the CLI's waits ride out longer outages themselves
 * (./outage.ts) and say so, so a call gives up after 6 attempts (~3 s): a blip is still absorbed.
 */
const CLI_CALL_ATTEMPTS = 6;

type Sdk = typeof import('@temporalio/client');
/** The SDK, loaded by the first withClient: `--help` and refused input need none of it (half the CLI's start-up). */
let sdk: Sdk | undefined;

/** Run a command with a typed client on a lazy connection (input checks run before any network call). */
export async function withClient<T>(fn: (ctx: Ctx) => Promise<T>): Promise<T> {
  const [client_, { loadClientEnv }, { connectionOptions, newClient }, { CancellationClient }] = await Promise.all([
    import('@temporalio/client'),
    import('../../config'),
    import('../../connection'),
    import('../cancellation-client'),
  ]);
  sdk = client_;
  const { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } = sdk;
  const env = loadClientEnv(cliEnvSource(process.env, devDataDir()));
  const connection = Connection.lazy({
    ...connectionOptions(env),
    channelArgs: CLI_CHANNEL_ARGS,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: CLI_CALL_ATTEMPTS }))],
  });
  const client = newClient(connection, env);
  try {
    return await fn({
      cancellations: new CancellationClient({ client, taskQueue: env.TEMPORAL_TASK_QUEUE }),
      client,
      env,
    });
  } catch (err) {
    throw explain(err, env);
  } finally {
    await connection.close();
  }
}

/**
 * The CLI's environment: the process's, plus, when TEMPORAL_ADDRESS is unset, the address (and dev key when
 * PAYLOAD_ENCRYPTION_KEYS is unset) of a live `npm start` found through its stack.json (DEV_DATA_DIR or .temporal/).
 */
export function cliEnvSource(source: NodeJS.ProcessEnv, dir: string): NodeJS.ProcessEnv {
  return { ...source, ...stackEnv(source, dir).env };
}

/** A path as the CLI shows it: relative to the working directory when inside it, else absolute. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel.startsWith('..') ? p : rel;
}

/** An encrypted payload the CLI cannot read: the fix in the same line. */
function keyHint(err: Error): CliError {
  const file = displayPath(devKeyFile(devDataDir()));
  const fix = /not set/.test(err.message)
    ? `run it from the repository where npm start runs, or export PAYLOAD_ENCRYPTION_KEYS="$(cat ${file})"`
    : `add the key that wrote it to PAYLOAD_ENCRYPTION_KEYS (npm start's dev key is in ${file})`;
  return new CliError(`${err.message}: ${fix}`);
}

/** The first error in a cause chain that `test` accepts. */
function findCause(err: unknown, test: (e: Error) => boolean): Error | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) if (test(e)) return e;
  return undefined;
}

/** Turn SDK and gRPC errors into what an operator can act on. */
export function explain(err: unknown, env: ClientEnv): unknown {
  if (err instanceof CliError) return err;
  const undecodable = findCause(err, (e) => e.name === 'PayloadEncryptionError');
  if (undecodable) return keyHint(undecodable);
  if (!sdk) return err;
  const { isGrpcServiceError, ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError } = sdk;
  if (err instanceof WorkflowNotFoundError) return new CliError(`no cancellation with id ${err.workflowId}`);
  if (err instanceof WorkflowUpdateFailedError) return new CliError(`refused: ${err.cause?.message ?? err.message}`);
  const grpc = err instanceof ServiceError ? err.cause : err;
  if (isGrpcServiceError(grpc)) {
    if (grpc.code === 14 || grpc.code === 4) {
      return new CliError(
        `cannot reach Temporal at ${env.TEMPORAL_ADDRESS} (${grpc.code === 14 ? 'unavailable' : 'timed out'}); ` +
          'is the server running? `npm start` starts a local one',
      );
    }
    if (grpc.code === 16 || grpc.code === 7) return new CliError(`Temporal refused our credentials: ${grpc.details}`);
    if (grpc.code === 5) return new CliError(grpc.details || 'not found');
  }
  return err;
}

/** Print exactly one JSON object. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** Print human lines. */
export function println(...lines: string[]): void {
  process.stdout.write(lines.join('\n') + '\n');
}

/** One line, whatever the error looked like. */
export function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
}
