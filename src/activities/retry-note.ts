import { ApplicationFailure, Context } from '@temporalio/activity';
import { msOptionalToNumber } from '@temporalio/common/lib/time';
import { attemptFailedSignal, type AttemptFailed, type StepName } from '../contract';

/** Used when the server did not tell the retry policy (old servers): the worker's default maximum interval. */
const FALLBACK_MAX_INTERVAL_MS = 60_000;

/** The longest wait before the next attempt this activity's retry policy allows. */
export function maxRetryDelayMs(): number {
  return msOptionalToNumber(Context.current().info.retryPolicy?.maximumInterval) ?? FALLBACK_MAX_INTERVAL_MS;
}

/** When the server will run the next attempt after `failure`, or undefined when there is none. */
function nextAttemptAt(failure: ApplicationFailure): Date | undefined {
  const { attempt, retryPolicy } = Context.current().info;
  if (failure.nonRetryable || (retryPolicy?.maximumAttempts && attempt >= retryPolicy.maximumAttempts)) return;
  const initial = msOptionalToNumber(retryPolicy?.initialInterval) ?? 1000;
  const backoff = initial * (retryPolicy?.backoffCoefficient ?? 2) ** (attempt - 1);
  const delay = failure.nextRetryDelay != null ? msOptionalToNumber(failure.nextRetryDelay) : backoff;
  return new Date(Date.now() + Math.min(delay ?? backoff, maxRetryDelayMs()));
}

/**
 * Tell the cancelOrder workflow that an attempt failed and when the next one runs, so its status and the UI's current
 * details show it while the server waits (the workflow itself hears nothing until the activity ends). Best effort.
 */
export async function reportRetry(step: StepName, failure: unknown): Promise<void> {
  const ctx = Context.current();
  const { workflowType, workflowExecution, attempt } = ctx.info;
  // Local activities (eligibility, merchant hooks) retry inside the workflow task: a signal there makes the SDK
  // run them again, so only regular activities (the provider cancel) report.
  if (ctx.info.isLocal) return;
  if (workflowType !== 'cancelOrder' || !workflowExecution || !(failure instanceof ApplicationFailure)) return;
  const at = nextAttemptAt(failure);
  if (!at) return;
  const note: AttemptFailed = {
    step,
    attempt,
    error: { type: failure.type ?? 'Error', message: failure.message },
    nextAttemptAt: at.toISOString(),
  };
  try {
    await ctx.client.workflow.getHandle(workflowExecution.workflowId).signal(attemptFailedSignal, note);
  } catch (err) {
    ctx.log.warn('could not report a failed attempt to the workflow', { step, error: String(err) });
  }
}
