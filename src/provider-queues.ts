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

/** Where one provider's queue stands: its cap (undefined = none) with the reason given, backlog and pollers. */
export interface ProviderQueueState {
  provider: ProviderId;
  queue: string;
  /** Calls per second; 0 = paused; undefined = no cap set through the API (a worker-side fallback may still apply). */
  cap?: number;
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
 * Set (a number, 0 = paused) or clear (undefined) the server-side rate limit of a provider's activity queue, with a
 * reason the server keeps beside it (`temporal task-queue config set --queue-rps-limit`).
 */
export async function setProviderCap(
  service: WorkflowService,
  where: { namespace: string; taskQueue: string; identity: string },
  provider: ProviderId,
  cap: number | undefined,
  reason: string,
): Promise<void> {
  await service.updateTaskQueueConfig({
    namespace: where.namespace,
    identity: where.identity,
    taskQueue: providerTaskQueue(where.taskQueue, provider),
    taskQueueType: ACTIVITY,
    updateQueueRateLimit: { rateLimit: cap === undefined ? null : { requestsPerSecond: cap }, reason },
  });
}

/** One provider queue's cap, backlog and pollers (DescribeTaskQueue with stats and config). */
export async function describeProviderQueue(
  service: WorkflowService,
  where: { namespace: string; taskQueue: string },
  provider: ProviderId,
): Promise<ProviderQueueState> {
  const queue = providerTaskQueue(where.taskQueue, provider);
  const res = await service.describeTaskQueue({
    namespace: where.namespace,
    taskQueue: { name: queue },
    taskQueueType: ACTIVITY,
    reportStats: true,
    reportConfig: true,
  });
  const limit = res.config?.queueRateLimit;
  const meta = limit?.metadata;
  const seconds = Number(meta?.updateTime?.seconds ?? 0);
  return {
    provider,
    queue,
    cap: limit?.rateLimit ? (limit.rateLimit.requestsPerSecond ?? 0) : undefined,
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
