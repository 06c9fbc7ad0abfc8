import { FINAL_STEPS, STEP_EVENT, type FinalStep, type StepError } from '../../contract/lean';
import { callError, type Entry, type HookJob } from './hook-batch';
import type { BatchMerchant } from './merchant';
import type { BatchTracker } from './tracker';

/** The batch's final steps go as ONE `merchantHookBatch` per round, each order's steps chained (patched). */
export const BATCH_CHAINED_FINAL_STEPS_PATCH = 'batch-final-steps-chained-v1';

/** An order whose final step did not go through: it stops there and waits for an operator. */
export interface FinalFailure {
  e: Entry;
  step: FinalStep;
  error: StepError;
}

/**
 * One `merchantHookBatch` for the remaining steps (refund, restock, mark cancelled) of every due order: each order's
 * steps in order, a step sent only once the one before it went through (the activity's waves), so an order that fails
 * stops there, as one activity per step did; one workflow task and one activity fewer per batch.
 */
export async function finalizeChained(
  due: Entry[],
  markCancelledData: Record<string, unknown>,
  calls: BatchMerchant,
  tracker: BatchTracker,
): Promise<FinalFailure[]> {
  const jobs: HookJob[] = [];
  const chains = due.map((e) => {
    const first = jobs.length;
    const steps = [...e.pending];
    steps.forEach((step, i) =>
      jobs.push({
        e,
        step,
        type: STEP_EVENT[step],
        data: step === 'markCancelled' ? markCancelledData : {},
        ...(i === 0 ? {} : { after: jobs.length - 1 }),
      }),
    );
    return { e, first, steps };
  });
  const r = await calls.hooks(jobs);
  const failed: FinalFailure[] = [];
  const errors = new Map<FinalStep, StepError>();
  for (const { e, first, steps } of chains) {
    for (const [i, step] of steps.entries()) {
      const error = callError(r, first + i);
      if (!error) {
        e.pending.shift();
        continue;
      }
      if (!errors.has(step)) errors.set(step, error);
      failed.push({ e, step, error });
      break;
    }
  }
  for (const step of FINAL_STEPS)
    if (jobs.some((j) => j.step === step)) tracker.addAttempts(step, r.attempts, errors.get(step));
  // The earliest step first: the operator is asked about it (as the per-step rounds did).
  return failed.sort((a, b) => FINAL_STEPS.indexOf(a.step) - FINAL_STEPS.indexOf(b.step));
}

/**
 * Histories from before BATCH_CHAINED_FINAL_STEPS_PATCH: one `merchantHookBatch` per step (refund, restock, mark
 * cancelled) for the orders whose next step it is; stops between steps once `aborted()`.
 */
export async function finalizeByStep(
  todo: () => Entry[],
  markCancelledData: Record<string, unknown>,
  calls: BatchMerchant,
  tracker: BatchTracker,
  aborted: () => boolean,
): Promise<FinalFailure[]> {
  const failed: FinalFailure[] = [];
  for (const step of FINAL_STEPS) {
    if (aborted()) break;
    const due = todo().filter((e) => e.pending[0] === step);
    if (due.length === 0) continue;
    const r = await calls.hooks(
      due.map((e) => ({ e, step, type: STEP_EVENT[step], data: step === 'markCancelled' ? markCancelledData : {} })),
    );
    let stepError = r.error;
    r.results.forEach((_, i) => {
      const e = due[i];
      const error = callError(r, i);
      if (!error) return void e.pending.shift();
      stepError ??= error;
      failed.push({ e, step, error });
    });
    tracker.addAttempts(step, r.attempts, stepError);
  }
  return failed;
}
