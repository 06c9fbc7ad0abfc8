import { existsSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, type Logger, type WorkerOptions } from '@temporalio/worker';
import { startCodecServer, type CodecServer } from '../../codec/server';
import { FAILURE_CONVERTER_PATH } from '../../codec';
import { devKeyFile, devEncryptionKeys } from '../../devserver/dev-key';
import { inUseMessage, checkPortsFree } from '../../devserver/ports';
import { ensureSearchAttributes, startLocalTemporal, type LocalTemporal } from '../../devserver/start';
import { liveStack, removeStackFile, writeStackFile, type StackFile } from '../../devserver/stack-file';
import { closeSharedAgent } from '../../providers/http';
import { PROVIDER_IDS } from '../../providers/types';
import { startSandbox, type SandboxStack } from '../../sandbox/stack';
import { loadCodecServerEnv, loadConfig, workflowBundlePath, type Env } from '../../config';
import { loadDevSettings, type DevFlags, type DevSettings } from '../../config/dev';
import { devPortClaim } from '../../config/dev-options';
import { parseEnv } from '../../config/env';
import { workerEnvSchema } from '../../config/worker';
import { connectClient, connectWorker } from '../../connection';
import { workflowInterceptorModules } from '../../worker/create-worker';
import { splitHostPort } from '../../worker/health';
import { buildWorker, installRuntime } from '../../worker/main';
import { CliError, println } from './context';
import { printBanner } from './dev-banner';
import { devPlan, type DevPlan } from './dev-ports';
import { seedDemo } from './demo';

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

/**
 * `dev` (= `npm start`): dev server (unless TEMPORAL_ADDRESS is set) + sandbox + worker, until Ctrl-C. Every input and
 * every port is checked before anything starts; `<data dir>/stack.json` tells other shells where it all is.
 */
export async function runDev(opts: DevFlags & { dbFile?: string }): Promise<void> {
  const settings = loadDevSettings(opts);
  const external = process.env.TEMPORAL_ADDRESS?.trim() || undefined;
  const metricsBind = parseEnv(workerEnvSchema.pick({ METRICS_BIND_ADDRESS: true }), process.env).METRICS_BIND_ADDRESS;
  const plan = devPlan(settings, metricsBind, !external);
  loadConfig({ ...DEV_RETRIES, ...process.env }); // the worker's variables: a bad one fails here, before any start
  const running = liveStack(settings.dataDir);
  if (running && running.pid !== process.pid) {
    throw new CliError(
      `another npm start (pid ${running.pid}) uses the data folder ${settings.dataDir}: stop it, or give this one ` +
        'its own with --data-dir or DEV_DATA_DIR (and other ports)',
    );
  }
  await checkPortsFree(plan.claims);
  const logger = installRuntime({ ...process.env, METRICS_BIND_ADDRESS: plan.metrics });
  const interrupted = new AbortController();
  const onSignal = () => interrupted.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const dropStackFile = () => removeStackFile(settings.dataDir);
  process.once('exit', dropStackFile);
  const cleanups: (() => Promise<void>)[] = [];
  let stopped = 'stopped: worker drained, sandbox closed';
  try {
    // Encryption on, with a generated dev key; the codec server lets the Web UI show the payloads decrypted.
    const ownKeys = Boolean(process.env.PAYLOAD_ENCRYPTION_KEYS?.trim());
    const keyFile = devKeyFile(settings.dataDir);
    const keys = devEncryptionKeys(process.env, keyFile);
    const codec = await devCodecServer({ ...process.env, PAYLOAD_ENCRYPTION_KEYS: keys }, settings);
    cleanups.push(() => codec.close());
    const server = external ? undefined : await temporal(opts, settings, codec.url, interrupted.signal, logger);
    if (server) {
      cleanups.push(() => server.stop());
      stopped += ', Temporal dev server shut down (data kept)';
    } else logger.info(`TEMPORAL_ADDRESS is set: using the Temporal server at ${external}`);
    const address = server?.address ?? external;
    const sandbox = await sandboxOnPorts(plan);
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
    if (!interrupted.signal.aborted) {
      const stack = stackOf(config.env, server, codec, plan, ownKeys ? undefined : keyFile);
      writeStackFile(settings.dataDir, stack);
      printBanner(stack, { dbFile: server?.dbFile, keyId: config.env.PAYLOAD_ENCRYPTION_KEYS?.[0]?.id, ...settings });
    }
    await run;
  } catch (err) {
    // Ctrl-C while starting is a normal way out, not an error.
    if (!interrupted.signal.aborted) throw err;
  } finally {
    // The stack file goes first: a CLI started now must not find a stack that is shutting down.
    dropStackFile();
    process.off('exit', dropStackFile);
    // Reverse order: worker connection and HTTP agent, then the sandbox, then the server.
    for (const c of cleanups.reverse()) await c().catch((err: unknown) => logger.warn(`cleanup: ${String(err)}`));
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (interrupted.signal.aborted) println(stopped);
  }
}

/** What other shells read from stack.json (the key file's path, never its content). */
function stackOf(
  env: Env,
  server: LocalTemporal | undefined,
  codec: CodecServer,
  plan: DevPlan,
  keyFile?: string,
): StackFile {
  return {
    address: env.TEMPORAL_ADDRESS,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    uiUrl: server?.uiUrl,
    codecUrl: codec.url,
    metricsUrl: `http://${plan.metrics}/metrics`,
    keyFile,
    ports: {
      temporal: server ? Number(server.address.split(':').pop()) : undefined,
      ui: server ? Number(new URL(server.uiUrl).port) : undefined,
      codec: Number(new URL(codec.url).port),
      metrics: splitHostPort(plan.metrics).port,
      sandbox: plan.sandbox,
    },
    pid: process.pid,
  };
}

async function temporal(
  opts: { dbFile?: string },
  settings: DevSettings,
  uiCodecEndpoint: string,
  signal: AbortSignal,
  logger: Logger,
): Promise<LocalTemporal> {
  logger.info('starting the Temporal dev server (first start takes a few seconds)');
  return startLocalTemporal({
    port: settings.ports.temporal,
    uiPort: settings.ports.ui,
    dataDir: settings.dataDir,
    dbFile: opts.dbFile,
    signal,
    uiCodecEndpoint,
  });
}

/** The codec server for the dev UI; it lets that UI's origin call it unless CODEC_SERVER_CORS_ORIGINS says otherwise. */
async function devCodecServer(source: NodeJS.ProcessEnv, settings: DevSettings): Promise<CodecServer> {
  const ui = settings.ports.ui;
  const origins = source.CODEC_SERVER_CORS_ORIGINS?.trim() || `http://localhost:${ui},http://127.0.0.1:${ui}`;
  const claim = devPortClaim('codec', settings.ports.codec);
  try {
    return await startCodecServer(loadCodecServerEnv({ ...source, CODEC_SERVER_CORS_ORIGINS: origins }), {
      port: claim.port,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(inUseMessage(claim));
    throw err;
  }
}

async function sandboxOnPorts(plan: DevPlan): Promise<SandboxStack> {
  try {
    return await startSandbox({ ports: plan.sandbox });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { port?: number };
    const claim = plan.claims.find((c) => c.port === e.port);
    if (e.code === 'EADDRINUSE' && claim) throw new CliError(inUseMessage(claim));
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
