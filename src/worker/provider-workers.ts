import os from 'node:os';
import { Worker, type Logger, type NativeConnection, type WorkerOptions, type WorkerPlugin } from '@temporalio/worker';
import { providerTaskQueue, type ProviderId } from '../contract/providers';
import type { ProviderCaps } from '../config';
import { describeProviderQueue, isUnimplemented, queueRateForCap, setProviderCap } from '../provider-queues';
import type { Activities } from '../activities';

/** The activities that call a provider: they run on the provider's own queue. */
export const PROVIDER_ACTIVITIES = [
  'prepareCancellation',
  'cancelAtProvider',
  'cancelBatchAtProvider',
  'readBackOrders',
  'startCancelAtProvider',
  'awaitCancelJob',
] as const;

/** Options of the main worker that the provider workers share (payload codec, shutdown grace, tracing, versioning). */
const SHARED_OPTIONS = [
  'dataConverter',
  'shutdownGraceTime',
  'shutdownForceTime',
  'maxConcurrentActivityTaskPolls',
  'workerDeploymentOptions',
  'identity',
] as const satisfies readonly (keyof WorkerOptions)[];

export interface ProviderWorkersOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  providers: readonly ProviderId[];
  activities: Activities;
  maxConcurrentActivityTaskExecutions: number;
  /** Caps the server could not take (it lacks the API): set worker-side instead. */
  fallbackCaps: ProviderCaps;
  /** The main worker's options; the provider workers take SHARED_OPTIONS from them. */
  main: Partial<WorkerOptions>;
}

/** The worker-side queue limit for a cap where the server lacks the config API (same burst rule as the server-side). */
const fallbackRate = (cap: number | undefined) => (cap === undefined ? undefined : queueRateForCap(cap));

/** One activity-only Worker per enabled provider, polling `<taskQueue>-<provider>` with that provider's activities. */
export async function createProviderWorkers(opts: ProviderWorkersOptions): Promise<Worker[]> {
  const shared = Object.fromEntries(
    SHARED_OPTIONS.filter((k) => opts.main[k] !== undefined).map((k) => [k, opts.main[k]]),
  );
  const activities = Object.fromEntries(PROVIDER_ACTIVITIES.map((name) => [name, opts.activities[name]]));
  return Promise.all(
    opts.providers.map((provider) =>
      Worker.create({
        ...shared,
        connection: opts.connection,
        namespace: opts.namespace,
        taskQueue: providerTaskQueue(opts.taskQueue, provider),
        activities,
        maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions,
        maxTaskQueueActivitiesPerSecond: fallbackRate(opts.fallbackCaps[provider]),
        interceptors: { activity: opts.main.interceptors?.activity },
      }),
    ),
  );
}

/**
 * Runs the provider workers alongside the main worker: `run()` / `runUntil()` of the main one start them, and they
 * stop when it stops (a signal, `shutdown()`, or the end of `runUntil`). A provider worker's fatal error stops all.
 */
export function runAlongside(workers: Worker[]): WorkerPlugin {
  const stop = () => workers.forEach((w) => w.getState() === 'RUNNING' && w.shutdown());
  return {
    name: 'order-cancellation-provider-queues',
    async runWorker(main, next) {
      let failure: unknown;
      const runs = workers.map((w) =>
        w.run().catch((err: unknown) => {
          failure ??= err;
          if (main.getState() === 'RUNNING') main.shutdown();
        }),
      );
      // The main worker has no hook for its own shutdown: notice it, so the provider workers drain alongside.
      const watch = setInterval(() => main.getState() !== 'RUNNING' && stop(), 100);
      try {
        await next(main);
      } finally {
        clearInterval(watch);
        stop();
        await Promise.all(runs);
      }
      if (failure) throw failure;
    },
  };
}

/**
 * Apply `<PROVIDER>_MAX_CALLS_PER_SECOND` to each capped provider's queue, server-side (shared by every worker). A
 * provider paused by an operator (limit 0) stays paused: `cancel-orders providers resume` lifts it. Returns the caps
 * the server could not take (it lacks UpdateTaskQueueConfig): the provider workers set those themselves.
 */
export async function applyProviderCaps(
  connection: NativeConnection,
  where: { namespace: string; taskQueue: string },
  caps: ProviderCaps,
  logger: Logger,
): Promise<ProviderCaps> {
  const identity = `worker ${process.pid}@${os.hostname()}`;
  for (const [provider, cap] of Object.entries(caps) as [ProviderId, number][]) {
    const name = `${provider.toUpperCase()}_MAX_CALLS_PER_SECOND`;
    const queue = providerTaskQueue(where.taskQueue, provider);
    try {
      const now = await describeProviderQueue(connection.workflowService, where, provider);
      if (now.cap === 0) {
        logger.warn(
          `${provider} is paused (${now.reason ?? 'no reason given'}): ${name}=${cap} not applied to ${queue}`,
        );
        continue;
      }
      const rate = await setProviderCap(
        connection.workflowService,
        { ...where, identity },
        provider,
        cap,
        `${name}=${cap} at worker start`,
      );
      logger.info(
        `rate cap: at most ${cap} calls in any second to ${provider} (${name}; queue limit ${rate}/s on ${queue}, ` +
          'server-side, shared by every worker)',
      );
    } catch (err) {
      if (!isUnimplemented(err)) throw err;
      logger.warn(
        'the server has no task-queue config API (Temporal Server 1.29+ has it): rate caps set worker-side ' +
          '(maxTaskQueueActivitiesPerSecond; give every worker the same value) and `cancel-orders providers pause` is unavailable',
      );
      return caps;
    }
  }
  return {};
}
