import { temporal } from '@temporalio/proto';
import { PROVIDER_IDS, providerTaskQueue, type ProviderId } from './contract/providers';

type WorkflowService = temporal.api.workflowservice.v1.WorkflowService;
const ACTIVITY = temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY;

/** gRPC status of a server that does not know the task-queue config API (Temporal Server before 1.29). */
export const GRPC_UNIMPLEMENTED = 12;

/** Did the server refuse because it lacks the API? (The worker then falls back to maxTaskQueueActivitiesPerSecond.) */
export function isUnimplemented(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === GRPC_UNIMPLEMENTED;
}

/** Partitions of a task queue unless the server's dynamic config says otherwise (`matching.numTaskqueue*Partitions`). */
export const TASK_QUEUE_PARTITIONS = 4;

/**
 * The queue rate limit (dispatches per second) that keeps a provider at or under `cap` calls in **every** one-second
 * window, for all workers together.
 *
 * The matcher splits a queue's limit evenly over its P partitions, and each partition's limiter is a GCRA with one
 * second of burst (Temporal Server service/matching/ratelimit_manager.go: `defaultBurstDuration = time.Second`, not
 * configurable; matcher_data.go: `simpleLimiter`). After a lull a partition limited to q/s lets floor(q) + 1 tasks go at
 * once and then one every 1/q s (the interval truncated to whole nanoseconds), so its busiest second holds
 * floor(2q) + 1 tasks. Setting the queue's limit to the cap itself let 80 calls through in one second under a cap of 50
 * (BENCHMARKS.md). With k = floor(cap / P), q = (k − ½) / 2 is the largest per-partition rate whose busiest second
 * holds at most k, so the queue's limit is P·(k − ½)/2, a little under half the cap (50 over 4 partitions: 23/s, at
 * most 48 in a second). Below P calls per second no limit can promise it (every partition may let one call go): the
 * cap is then halved, and the worst second is P calls. `partitions` is what the server lists for the queue
 * (ListTaskQueuePartitions); a provider queue on one partition keeps nearly half its cap.
 */
export function queueRateForCap(cap: number, partitions = TASK_QUEUE_PARTITIONS): number {
  if (cap <= 0) return 0;
  const k = Math.floor(cap / partitions);
  return k >= 1 ? (partitions * (k - 0.5)) / 2 : cap / 2;
}

/** The most calls a queue rate limit of `rate`/s can let through in one second (see queueRateForCap). */
export function maxCallsInAnySecond(rate: number, partitions = TASK_QUEUE_PARTITIONS): number {
  return rate <= 0 ? 0 : partitions * (Math.floor((2 * rate) / partitions) + 1);
}

/** Where one provider's queue stands: its cap (undefined = none) with the reason given, backlog and pollers. */
export interface ProviderQueueState {
  provider: ProviderId;
  queue: string;
  /**
   * The queue's rate limit on the server, dispatches per second; 0 = paused; undefined = none set through the API (a
   * worker-side fallback may still apply).
   */
  queueLimit?: number;
  /** The most calls that limit lets through in any one second (maxCallsInAnySecond); 0 = paused. */
  cap?: number;
  /** The queue's partitions (each gets an equal share of the limit). */
  partitions: number;
  reason?: string;
  /** Who set the cap, and when (as the server recorded it). */
  updatedBy?: string;
  updatedAt?: string;
  /** Approximate number of calls waiting to be dispatched. */
  backlog: number;
  /** Workers polling the queue (identities). */
  pollers: string[];
}

/**
 * Cap a provider at `cap` calls in any one second (0 = paused), or clear its cap (undefined): the server-side rate
 * limit of its activity queue becomes queueRateForCap(cap), with a reason the server keeps beside it (`temporal
 * task-queue config set --queue-rps-limit`). Returns the limit set.
 */
export async function setProviderCap(
  service: WorkflowService,
  where: { namespace: string; taskQueue: string; identity: string },
  provider: ProviderId,
  cap: number | undefined,
  reason: string,
): Promise<number | undefined> {
  const taskQueue = providerTaskQueue(where.taskQueue, provider);
  const rate =
    cap === undefined ? undefined : queueRateForCap(cap, await activityPartitions(service, where, taskQueue));
  await service.updateTaskQueueConfig({
    namespace: where.namespace,
    identity: where.identity,
    taskQueue,
    taskQueueType: ACTIVITY,
    updateQueueRateLimit: { rateLimit: rate === undefined ? null : { requestsPerSecond: rate }, reason },
  });
  return rate;
}

/** How many partitions the server gives a queue's activity tasks (ListTaskQueuePartitions; at least 1). */
export async function activityPartitions(
  service: WorkflowService,
  where: { namespace: string },
  taskQueue: string,
): Promise<number> {
  const res = await service.listTaskQueuePartitions({ namespace: where.namespace, taskQueue: { name: taskQueue } });
  return Math.max(1, res.activityTaskQueuePartitions?.length ?? 0);
}

/** One provider queue's cap, backlog and pollers (DescribeTaskQueue with stats and config). */
export async function describeProviderQueue(
  service: WorkflowService,
  where: { namespace: string; taskQueue: string },
  provider: ProviderId,
): Promise<ProviderQueueState> {
  const queue = providerTaskQueue(where.taskQueue, provider);
  const [res, partitions] = await Promise.all([
    service.describeTaskQueue({
      namespace: where.namespace,
      taskQueue: { name: queue },
      taskQueueType: ACTIVITY,
      reportStats: true,
      reportConfig: true,
    }),
    activityPartitions(service, where, queue),
  ]);
  const limit = res.config?.queueRateLimit;
  const meta = limit?.metadata;
  const seconds = Number(meta?.updateTime?.seconds ?? 0);
  const queueLimit = limit?.rateLimit ? (limit.rateLimit.requestsPerSecond ?? 0) : undefined;
  return {
    provider,
    queue,
    queueLimit,
    cap: queueLimit === undefined ? undefined : maxCallsInAnySecond(queueLimit, partitions),
    partitions,
    reason: meta?.reason || undefined,
    updatedBy: meta?.updateIdentity || undefined,
    updatedAt: seconds > 0 ? new Date(seconds * 1000).toISOString() : undefined,
    backlog: Number(res.stats?.approximateBacklogCount ?? 0),
    pollers: (res.pollers ?? []).map((p) => p.identity ?? '?'),
  };
}

/** Every provider's queue state, in the order of PROVIDER_IDS. */
export async function describeProviderQueues(
  service: WorkflowService,
  where: { namespace: string; taskQueue: string },
  providers: readonly ProviderId[] = PROVIDER_IDS,
): Promise<ProviderQueueState[]> {
  return Promise.all(providers.map((p) => describeProviderQueue(service, where, p)));
}
