import { Worker, type WorkerOptions } from '@temporalio/worker';
import { createWebhookHooks } from '../../src/merchant/webhook';
import type { ProviderAdapter } from '../../src/providers/types';
import { loadConfig, type ProviderCaps } from '../../src/config';
import { createWorker } from '../../src/worker/create-worker';
import { buildAdapters } from '../../src/worker/providers';
import { runAlongside } from '../../src/worker/provider-workers';
import { providerTaskQueue } from '../../src/contract';
import { createCeilingActivities } from './ceiling-activities';
import type { BenchContext } from './types';

/** Worker tuning used for every Temporal scenario (written into BENCHMARKS.md with the reasons below). */
export const WORKER_SETTINGS = {
  maxConcurrentWorkflowTaskExecutions: 200,
  maxConcurrentLocalActivityExecutions: 200,
  maxConcurrentActivityTaskExecutions: 400,
  maxConcurrentWorkflowTaskPolls: 20,
  maxConcurrentActivityTaskPolls: 10,
  maxCachedWorkflows: 2000,
} satisfies Partial<WorkerOptions>;

/** Why each setting has its value. */
export const WORKER_SETTINGS_WHY: Record<keyof typeof WORKER_SETTINGS, string> = {
  maxConcurrentWorkflowTaskExecutions:
    'one slot per workflow in flight: local activities run inside the workflow task, so a slot is held for their HTTP calls',
  maxConcurrentLocalActivityExecutions: 'at most one local activity per workflow at a time, 200 workflows in flight',
  maxConcurrentActivityTaskExecutions:
    'the lookup and the pivot (the regular activities, run by the provider workers) of every workflow in flight, with room to spare',
  maxConcurrentWorkflowTaskPolls:
    'twice the default; 4, 10 and 20 pollers gave the same throughput here (the CPU, not polling, is the limit)',
  maxConcurrentActivityTaskPolls:
    "the default, for each provider worker too: the lookup and the pivot go through the provider's queue (not eagerly)",
  maxCachedWorkflows: 'above the 200 in flight, so no workflow is evicted and replayed mid-run',
};

let queues = 0;
/** A fresh task queue per scenario, so nothing of an earlier one is picked up. */
export function benchQueue(name: string): string {
  return `bench-${name}-${process.pid}-${++queues}`;
}

/**
 * The production worker (createWorker, with its provider workers) wired to the sandbox, as test/helpers/stack.ts
 * does, with the bench tuning (overridden by `tuning`); `caps` as `<PROVIDER>_MAX_CALLS_PER_SECOND` would set them.
 */
export async function cancelWorker(
  ctx: BenchContext,
  taskQueue: string,
  tuning: Partial<typeof WORKER_SETTINGS> = {},
  caps: ProviderCaps = {},
): Promise<Worker> {
  const config = loadConfig(ctx.sandbox.env);
  return createWorker({
    connection: ctx.env.nativeConnection,
    taskQueue,
    caps,
    deps: {
      providers: buildAdapters(config.env),
      hooks: createWebhookHooks({ url: config.env.MERCHANT_WEBHOOK_URL, secret: config.env.MERCHANT_WEBHOOK_SECRET }),
      eligibility: config.eligibility,
      policies: config.policies,
    },
    maxConcurrentActivityTaskExecutions:
      tuning.maxConcurrentActivityTaskExecutions ?? WORKER_SETTINGS.maxConcurrentActivityTaskExecutions,
    worker: {
      ...WORKER_SETTINGS,
      ...tuning,
      workflowBundle: await ctx.bundle(require.resolve('../../src/workflows')),
      workflowsPath: undefined,
      shutdownGraceTime: '1s',
    },
  });
}

/**
 * A worker for the ceiling workflow: same tuning, activities that answer at once; with an activity worker on the
 * Fungies queue alongside, as createWorker runs one per provider (the ceiling's lookup and pivot go there).
 */
export async function ceilingWorker(ctx: BenchContext, taskQueue: string): Promise<Worker> {
  const activities = createCeilingActivities();
  const fungies = await Worker.create({
    connection: ctx.env.nativeConnection,
    taskQueue: providerTaskQueue(taskQueue, 'fungies'),
    activities,
    maxConcurrentActivityTaskExecutions: WORKER_SETTINGS.maxConcurrentActivityTaskExecutions,
    maxConcurrentActivityTaskPolls: WORKER_SETTINGS.maxConcurrentActivityTaskPolls,
    shutdownGraceTime: '1s',
  });
  return Worker.create({
    connection: ctx.env.nativeConnection,
    taskQueue,
    activities,
    ...WORKER_SETTINGS,
    workflowBundle: await ctx.bundle(require.resolve('../ceiling-workflow')),
    shutdownGraceTime: '1s',
    plugins: [runAlongside([fungies])],
  });
}

/** A Fungies adapter that answers at once: paid order, cancelled. */
const instantFungies: ProviderAdapter = {
  id: 'fungies',
  lookup: async (orderId) => ({ orderId, status: 'PAID', paid: true }),
  cancel: async (orderId) => ({ orderId, status: 'CANCELLED' }),
};

/** The real cancelOrder workflow and activities, with an adapter and merchant hooks that answer at once (no HTTP). */
export async function instantCancelWorker(ctx: BenchContext, taskQueue: string): Promise<Worker> {
  return createWorker({
    connection: ctx.env.nativeConnection,
    taskQueue,
    deps: { providers: { fungies: instantFungies }, hooks: async () => 'done' },
    worker: {
      ...WORKER_SETTINGS,
      workflowBundle: await ctx.bundle(require.resolve('../../src/workflows')),
      workflowsPath: undefined,
      shutdownGraceTime: '1s',
    },
  });
}
