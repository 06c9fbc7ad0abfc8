import { ActivityFailure, ApplicationFailure, type ActivityOptions } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { providerDisplayName, type CancelReason, type ProviderId } from '../../contract/lean';
import type { AsyncCancelCapability } from '../../providers/manifest';
import { acts } from '../shared/activity-options';
import { now } from '../shared/tracker-base';
import type { Tracker } from './tracker';

type Cancelled = Awaited<ReturnType<Activities['cancelAtProvider']>>;

export interface AsyncPivot {
  provider: ProviderId;
  orderId: string;
  reason: CancelReason;
  idempotencyKey: string;
  /** The pivot's options (summary, retry budget, timeouts, the provider's queue). */
  options: ActivityOptions;
  capability: AsyncCancelCapability;
  tracker: Tracker;
}

/**
 * The pivot of an asynchronous cancel (capabilities.asyncCancel): start it; while the provider's job runs, one
 * `awaitCancelJob` activity follows it, its poll retried by the server every poll interval (no worker slot held, no
 * event per poll) up to the capability's longest wait. The job id is in the status and the Web UI's details.
 */
export async function cancelAndAwaitJob(p: AsyncPivot): Promise<Cancelled> {
  const { provider, orderId, reason, idempotencyKey, capability, tracker } = p;
  const started = await acts.startCancelAtProvider.executeWithOptions(p.options, [
    { provider, orderId, reason, idempotencyKey },
  ]);
  if (started.status !== 'PENDING') return started;
  const name = providerDisplayName(provider);
  const job = { id: started.jobId, since: now(), state: 'pending' as const };
  tracker.providerJob = job;
  tracker.log(
    `${name} accepted the cancel: job ${job.id} runs at ${name} (checked every ${capability.pollIntervalMs / 1000} s, ` +
      `up to ${Math.round(capability.maxWaitMs / 60_000)} min); the order is cancelled when it is done`,
  );
  const every = capability.pollIntervalMs;
  try {
    const done = await acts.awaitCancelJob.executeWithOptions(
      {
        summary: `Wait for ${name} job ${job.id} (cancel of order ${orderId})`,
        taskQueue: p.options.taskQueue,
        startToCloseTimeout: p.options.startToCloseTimeout,
        scheduleToCloseTimeout: capability.maxWaitMs,
        retry: { initialInterval: every, maximumInterval: every, backoffCoefficient: 1 },
      },
      [{ provider, job: { orderId, status: 'PENDING', jobId: job.id }, pollIntervalMs: every }],
    );
    tracker.providerJob = { ...job, state: 'done' };
    tracker.log(`${name} job ${job.id} is done: the order is cancelled`);
    return { ...done, attempt: started.attempt };
  } catch (err) {
    tracker.providerJob = { ...job, state: 'failed' };
    throw asPivotFailure(err, started.attempt);
  }
}

/** A job's failure counts the pivot's own attempts (the polls are not cancel attempts): a failed job is a refusal. */
function asPivotFailure(err: unknown, attempt: number): unknown {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return err;
  const details = (cause.details?.[0] ?? {}) as Record<string, unknown>;
  return ApplicationFailure.create({
    type: cause.type ?? undefined,
    message: cause.message,
    nonRetryable: cause.nonRetryable === true,
    details: [{ ...details, attempt }],
  });
}
