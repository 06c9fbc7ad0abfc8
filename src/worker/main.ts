import {
  DefaultLogger,
  Runtime,
  type Logger,
  type LogLevel,
  type NativeConnection,
  type Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { createWebhookHooks } from '../merchant/webhook';
import type { Policies } from '../contract';
import { closeSharedAgent } from '../providers/http';
import { PROVIDER_IDS } from '../providers/types';
import { ConfigError, loadConfig, type WorkerConfig } from '../config';
import { dataConverterFor } from '../codec';
import { connectWorker } from '../connection';
import { createWorker } from './create-worker';
import { buildAdapters } from './providers';

const LEVELS: LogLevel[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'];

/** Install the SDK runtime once, with its DefaultLogger at LOG_LEVEL (default INFO); SIGINT/SIGTERM stop workers. */
export function installRuntime(source: NodeJS.ProcessEnv = process.env): Logger {
  const raw = (source.LOG_LEVEL ?? '').trim().toUpperCase() || 'INFO';
  if (!LEVELS.includes(raw as LogLevel)) {
    throw new ConfigError(`invalid configuration: LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  }
  const logger = new DefaultLogger(raw as LogLevel);
  Runtime.install({ logger });
  return logger;
}

export interface BuiltWorker {
  worker: Worker;
  /** Which providers this worker can cancel at (names only). */
  enabled: string[];
}

/** Config → adapters and merchant hooks → Worker; logs which providers are enabled by name, never a value. */
export async function buildWorker(
  config: WorkerConfig,
  connection: NativeConnection,
  logger: Logger,
  overrides: { policies?: Partial<Policies>; worker?: Partial<WorkerOptions> } = {},
): Promise<BuiltWorker> {
  const { env } = config;
  const providers = buildAdapters(env);
  const enabled = PROVIDER_IDS.filter((id) => providers[id]);
  const disabled = PROVIDER_IDS.filter((id) => !providers[id]);
  logger.info(`providers enabled: ${enabled.join(', ') || 'none'}`);
  if (disabled.length) logger.warn(`providers disabled (credentials not set): ${disabled.join(', ')}`);
  logger.info(
    `merchant webhook: ${env.MERCHANT_WEBHOOK_URL ? 'configured' : 'not configured (steps recorded as skipped)'}`,
  );
  const worker = await createWorker({
    connection,
    namespace: env.TEMPORAL_NAMESPACE,
    taskQueue: env.TEMPORAL_TASK_QUEUE,
    maxConcurrentActivityTaskExecutions: env.WORKER_MAX_CONCURRENT_ACTIVITIES,
    deps: {
      providers,
      hooks: createWebhookHooks({
        url: env.MERCHANT_WEBHOOK_URL,
        secret: env.MERCHANT_WEBHOOK_SECRET,
        timeoutMs: env.PROVIDER_TIMEOUT_MS,
      }),
      eligibility: config.eligibility,
      policies: { ...config.policies, ...overrides.policies },
    },
    // Codecs run in the worker's main thread, outside the workflow sandbox.
    worker: { dataConverter: dataConverterFor(env.PAYLOAD_ENCRYPTION_KEYS), ...overrides.worker },
  });
  return { worker, enabled };
}

/** `cancel-orders worker` / `node lib/worker/main.js`: run until SIGINT/SIGTERM, then drain and close. */
export async function runWorker(source: NodeJS.ProcessEnv = process.env): Promise<void> {
  const config = loadConfig(source);
  const logger = installRuntime(source);
  const connection = await connectWorker(config.env);
  try {
    const { worker } = await buildWorker(config, connection, logger);
    logger.info(`worker polling ${config.env.TEMPORAL_TASK_QUEUE} on ${config.env.TEMPORAL_ADDRESS}`, {
      namespace: config.env.TEMPORAL_NAMESPACE,
    });
    // The Runtime turns SIGINT/SIGTERM into worker.shutdown(): run() resolves once in-flight tasks are done.
    await worker.run();
    logger.info('worker stopped');
  } finally {
    await closeSharedAgent();
    await connection.close();
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
