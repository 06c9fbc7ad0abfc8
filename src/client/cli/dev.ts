import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type Logger, type WorkerOptions } from '@temporalio/worker';
import { startCodecServer, type CodecServer } from '../../codec/server';
import { FAILURE_CONVERTER_PATH } from '../../codec';
import { DEV_KEY_FILE, devEncryptionKeys } from '../../devserver/dev-key';
import { ensureSearchAttributes, startLocalTemporal, type LocalTemporal } from '../../devserver/start';
import { closeSharedAgent } from '../../providers/http';
import { PROVIDER_IDS } from '../../providers/types';
import { startSandbox, type SandboxStack } from '../../sandbox/stack';
import { loadCodecServerEnv, loadConfig, workflowBundlePath, type Env } from '../../config';
import { connectClient, connectWorker } from '../../connection';
import { workflowInterceptorModules } from '../../worker/create-worker';
import { buildWorker, installRuntime } from '../../worker/main';
import { CliError, println } from './context';
import { DEV_SANDBOX_PORTS, demoLines, seedDemo } from './demo';

/** Fast-ish retry budgets for the sandbox (a user's own *_RETRY_* variables still win). */
const DEV_RETRIES: Record<string, string> = Object.fromEntries(
  PROVIDER_IDS.map((p) => p.toUpperCase()).flatMap((P) => [
    [`${P}_RETRY_MAX_ATTEMPTS`, '3'],
    [`${P}_RETRY_INITIAL_INTERVAL_MS`, '200'],
    [`${P}_RETRY_MAX_INTERVAL_MS`, '1000'],
  ]),
);
const DEV_MERCHANT_RETRY = {
  maximumAttempts: 3,
  initialIntervalMs: 200,
  maximumIntervalMs: 1000,
  backoffCoefficient: 2,
};

/** Where `npm start` serves Prometheus metrics unless METRICS_BIND_ADDRESS says otherwise. */
const DEV_METRICS_BIND_ADDRESS = '127.0.0.1:9464';

/** `dev` (= `npm start`): dev server (unless TEMPORAL_ADDRESS is set) + sandbox + worker, until Ctrl-C. */
export async function runDev(opts: { dbFile?: string }): Promise<void> {
  const logger = installRuntime({ METRICS_BIND_ADDRESS: DEV_METRICS_BIND_ADDRESS, ...process.env });
  const interrupted = new AbortController();
  const onSignal = () => interrupted.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const cleanups: (() => Promise<void>)[] = [];
  let stopped = 'stopped: worker drained, sandbox closed';
  try {
    // Encryption on, with a generated dev key; the codec server lets the Web UI show the payloads decrypted.
    const keys = devEncryptionKeys(process.env);
    const codec = await devCodecServer({ ...process.env, PAYLOAD_ENCRYPTION_KEYS: keys });
    cleanups.push(() => codec.close());
    const server = await temporal({ ...opts, uiCodecEndpoint: codec.url }, interrupted.signal, logger);
    if (server) {
      cleanups.push(() => server.stop());
      stopped += ', Temporal dev server shut down (data kept)';
    }
    const address = server?.address ?? process.env.TEMPORAL_ADDRESS;
    const sandbox = await sandboxOnFixedPorts();
    cleanups.push(() => sandbox.stop());
    const config = loadConfig({
      ...DEV_RETRIES,
      ...process.env,
      ...sandbox.env,
      TEMPORAL_ADDRESS: address,
      PAYLOAD_ENCRYPTION_KEYS: keys,
    });
    seedDemo(sandbox, config.policies);
    if (!server) await registerAttributes(config.env, logger);
    if (interrupted.signal.aborted) return;
    const connection = await connectWorker(config.env);
    cleanups.push(
      () => connection.close(),
      () => closeSharedAgent(),
    );
    const { worker } = await buildWorker(config, connection, logger, {
      policies: { merchant: DEV_MERCHANT_RETRY },
      worker: await quietBundle(logger),
    });
    // After a Ctrl-C during bundling the Runtime stops this worker right away; run() still resolves cleanly.
    const run = worker.run();
    if (!interrupted.signal.aborted) banner(server, config.env, codec.url);
    await run;
  } catch (err) {
    // Ctrl-C while starting is a normal way out, not an error.
    if (!interrupted.signal.aborted) throw err;
  } finally {
    // Reverse order: worker connection and HTTP agent, then the sandbox, then the server.
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => logger.warn(`cleanup: ${String(err)}`));
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (interrupted.signal.aborted) println(stopped);
  }
}

async function temporal(
  opts: { dbFile?: string; uiCodecEndpoint?: string },
  signal: AbortSignal,
  logger: Logger,
): Promise<LocalTemporal | undefined> {
  if (process.env.TEMPORAL_ADDRESS) {
    logger.info(`TEMPORAL_ADDRESS is set: using the Temporal server at ${process.env.TEMPORAL_ADDRESS}`);
    return undefined;
  }
  logger.info('starting the Temporal dev server (first start takes a few seconds)');
  return startLocalTemporal({ dbFile: opts.dbFile, signal, uiCodecEndpoint: opts.uiCodecEndpoint });
}

/** The codec server on :8888 for the dev UI (http://localhost:8233 is allowed by default). */
async function devCodecServer(source: NodeJS.ProcessEnv): Promise<CodecServer> {
  try {
    return await startCodecServer(loadCodecServerEnv(source), { port: 8888 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new CliError('codec server port 8888 is already in use: is another `npm start` running?');
    }
    throw err;
  }
}

async function sandboxOnFixedPorts(): Promise<SandboxStack> {
  try {
    return await startSandbox({ ports: DEV_SANDBOX_PORTS });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { port?: number };
    if (e.code === 'EADDRINUSE') {
      throw new CliError(`sandbox port ${e.port ?? '73xx'} is already in use: is another \`npm start\` running?`);
    }
    throw err;
  }
}

/** A server we did not start may lack the search attributes: add the missing ones (warn when not allowed). */
async function registerAttributes(env: Env, logger: Logger): Promise<void> {
  const { connection } = await connectClient(env);
  try {
    const added = await ensureSearchAttributes(connection, env.TEMPORAL_NAMESPACE);
    if (added.length) logger.info(`registered search attributes: ${added.join(', ')}`);
  } catch (err) {
    logger.warn(`could not check/register the search attributes (${String(err)}); register them as Keyword by hand`);
  } finally {
    await connection.close();
  }
}

/** Bundle the workflows without webpack's stats in the terminal, unless a prebuilt bundle is there (lib/). */
async function quietBundle(logger: Logger): Promise<Partial<WorkerOptions>> {
  if (workflowBundlePath() || existsSync(path.join(__dirname, '..', '..', 'workflow-bundle.encrypted.js'))) return {};
  logger.info('bundling the workflow code');
  const noop = () => undefined;
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    workflowInterceptorModules: workflowInterceptorModules(),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { trace: noop, debug: noop, info: noop, warn: noop, error: (m, meta) => logger.error(m, meta), log: noop },
  });
  return { workflowBundle, workflowsPath: undefined };
}

function banner(server: LocalTemporal | undefined, env: Env, codecUrl: string): void {
  const ownKeys = Boolean(process.env.PAYLOAD_ENCRYPTION_KEYS?.trim());
  const p = DEV_SANDBOX_PORTS;
  const { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, TEMPORAL_TASK_QUEUE: taskQueue } = env;
  println(
    '',
    'Order-cancellation sandbox is ready.',
    `  Temporal:   ${address} (namespace ${namespace}, task queue ${taskQueue})` +
      (server ? `; data in ${server.dbFile}` : ''),
    ...(server ? [`  Web UI:     ${server.uiUrl} (payloads decrypted through the codec server)`] : []),
    `  Metrics:    http://${process.env.METRICS_BIND_ADDRESS || DEV_METRICS_BIND_ADDRESS}/metrics (Prometheus)`,
    `  Payloads:   encrypted with key ${env.PAYLOAD_ENCRYPTION_KEYS?.[0]?.id}` +
      (ownKeys ? '' : ` (${DEV_KEY_FILE})`) +
      `; codec server ${codecUrl}`,
    `  Simulators: ${PROVIDER_IDS.map((id) => `${id} :${p[id]}`).join(', ')}; ` +
      `merchant webhook receiver :${p.merchant} (127.0.0.1)`,
    '',
    ...(ownKeys
      ? ['From another shell (with the same PAYLOAD_ENCRYPTION_KEYS):']
      : [
          'From another shell (the CLI needs the key to read results):',
          `  export PAYLOAD_ENCRYPTION_KEYS="$(cat ${path.relative(process.cwd(), DEV_KEY_FILE)})"`,
        ]),
    ...demoLines(),
    '',
    'Ctrl-C stops everything.',
    '',
  );
}
