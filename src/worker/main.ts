import {
  DefaultLogger,
  Runtime,
  type Logger,
  type NativeConnection,
  type Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { providerTaskQueue, type Policies, type ProviderId } from '../contract';
import { closeSharedAgent } from '../providers/http';
import { PROVIDER_IDS } from '../providers/types';
import { deploymentVersion, loadConfig, loadLogLevel, workerEnvSchema, type WorkerConfig } from '../config';
import { parseEnv } from '../config/env';
import { dataConverterFor } from '../codec';
import { connectWorker } from '../connection';
import { startTracing } from '../tracing';
import { createWorker } from './create-worker';
import { watchAwaitingOperator } from './awaiting-gauge';
import { closeServer, startHealthServer, workerProbe } from './health';
import { activityDepsFrom } from './providers';
import { writeLogEntry } from './log';
import { metricsTelemetry } from './telemetry';

/**
 * Install the SDK runtime once, logging one line per entry at LOG_LEVEL (default INFO) and, when
 * METRICS_BIND_ADDRESS is set, with its Prometheus exporter there; SIGINT/SIGTERM stop workers.
 */
export function installRuntime(source: NodeJS.ProcessEnv = process.env): Logger {
  const metrics = parseEnv(workerEnvSchema.pick({ METRICS_BIND_ADDRESS: true }), source).METRICS_BIND_ADDRESS;
  const logger = new DefaultLogger(loadLogLevel(source), writeLogEntry);
  Runtime.install({ logger, telemetryOptions: metrics ? metricsTelemetry(metrics) : undefined });
  if (metrics) logger.info(`metrics: http://${metrics}/metrics`);
  return logger;
}

export interface BuiltWorker {
  worker: Worker;
  /** Which providers this worker can cancel at (names only). */
  enabled: ProviderId[];
}

/** Config → adapters and merchant hooks → Worker; logs which providers are enabled by name, never a value. */
export async function buildWorker(
  config: WorkerConfig,
  connection: NativeConnection,
  logger: Logger,
  overrides: { policies?: Partial<Policies>; worker?: Partial<WorkerOptions> } = {},
): Promise<BuiltWorker> {
  const { env } = config;
  const deps = activityDepsFrom(config, { ...config.policies, ...overrides.policies });
  const providers = deps.providers;
  const enabled = PROVIDER_IDS.filter((id) => providers[id]);
  const disabled = PROVIDER_IDS.filter((id) => !providers[id]);
  logger.info(`providers enabled: ${enabled.join(', ') || 'none'}`);
  if (disabled.length) logger.warn(`providers disabled (credentials not set): ${disabled.join(', ')}`);
  const version = deploymentVersion(env);
  logger.info(version ? `worker deployment ${version.deploymentName}, build ${version.buildId}` : 'unversioned worker');
  logger.info(
    `merchant webhook: ${env.MERCHANT_WEBHOOK_URL ? 'configured' : 'not configured (steps recorded as skipped)'}`,
  );
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    deployment: version,
    caps: config.caps,
    deps,
    // Codecs run in the worker's main thread, outside the workflow sandbox.
    worker: {
      shutdownGraceTime: env.SHUTDOWN_GRACE_MS,
      ...(env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS && {
        maxConcurrentWorkflowTaskExecutions: env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
      }),
      dataConverter: dataConverterFor(env.PAYLOAD_ENCRYPTION_KEYS),
      ...overrides.worker,
    },
  });
  return { worker, enabled };
}

/** `cancel-orders worker` / `node lib/worker/main.js`: run until SIGINT/SIGTERM, then drain and close. */
export async function runWorker(source: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(source);
  const logger = installRuntime(source);
  const { env } = config;
  const tracing = startTracing(source, 'order-cancellation-worker');
  if (tracing.enabled) logger.info(`tracing: OTLP/HTTP to ${source.OTEL_EXPORTER_OTLP_ENDPOINT}`);
  const connection = await connectWorker(env);
  let health: Awaited<ReturnType<typeof startHealthServer>> | undefined;
  let stopGauge = () => {};
  const draining = () =>
    logger.info(`draining: polling stopped; running activities have up to ${env.SHUTDOWN_GRACE_MS} ms to finish`);
  process.once('SIGTERM', draining).once('SIGINT', draining);
  try {
    const { worker, enabled } = await buildWorker(config, connection, logger);
    if (env.HEALTH_BIND_ADDRESS) {
      health = await startHealthServer(env.HEALTH_BIND_ADDRESS, workerProbe(worker, connection));
      logger.info(`health: http://${env.HEALTH_BIND_ADDRESS}/healthz and /readyz`);
    }
    if (env.METRICS_BIND_ADDRESS) {
      stopGauge = watchAwaitingOperator(connection, env.TEMPORAL_NAMESPACE, Runtime.instance().metricMeter, logger);
    }
    const queues = enabled.map((p) => providerTaskQueue(env.TEMPORAL_TASK_QUEUE, p));
    logger.info(`worker polling ${[env.TEMPORAL_TASK_QUEUE, ...queues].join(', ')} on ${env.TEMPORAL_ADDRESS}`, {
      namespace: env.TEMPORAL_NAMESPACE,
    });
    // The Runtime turns SIGINT/SIGTERM into worker.shutdown(): polling stops, running activities get
    // SHUTDOWN_GRACE_MS to finish (then they are cancelled), and run() resolves.
    await worker.run();
    logger.info('worker stopped');
  } finally {
    process.off('SIGTERM', draining).off('SIGINT', draining);
    stopGauge();
    await closeServer(health);
    await closeSharedAgent();
    await connection.close();
    await tracing.shutdown();
  }
}

/** Print a failure as one line and set a non-zero exit code. */
export function reportFatal(err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`error: ${message.split('\n')[0]}\n`);
  process.exitCode = 1;
}

if (require.main === module) {
  runWorker().catch(reportFatal);
}
