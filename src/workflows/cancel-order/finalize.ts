import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { STEP_EVENT, type FinalStep, type HookStep, type MerchantEventType, type Policies } from '../../contract/lean';
import type { HookCall } from '../../merchant/port';
import type { MerchantStepsFailure } from '../../activities/merchant-steps';
import { localActs, localCallOptions } from '../shared/activity-options';
import type { Tracker } from './tracker';

/**
 * Histories from before the steps after the pivot ran together (one local activity, so one workflow activation for
 * all of them, and no NOTIFYING state between them) keep one local activity per step.
 */
export const FINAL_STEPS_TOGETHER_PATCH = 'final-steps-together-v1';

/** What running the final steps together uses of the saga. */
export interface TogetherContext {
  readonly tracker: Tracker;
  readonly policies: Policies;
  /** The merchant call of a step, as the per-step path sends it (same key, type and data). */
  hookCall(step: HookStep, type: MerchantEventType, data: Record<string, unknown>): HookCall;
  /** The data of a final step's event. */
  stepData(step: FinalStep): Record<string, unknown>;
}

/** What is left after the steps ran together: the steps not done, and the failure of the first of them. */
export interface Left {
  steps: FinalStep[];
  /** The failure the first step left ended with (the step-by-step path shows it, then asks an operator). */
  failure?: unknown;
}

/**
 * Run the steps after the pivot in one local activity, in order (refund, restock, then markCancelled: the merchant
 * hears `cancellation.completed` last, as before). Each step keeps its record (status, attempts) and its own event.
 * A failure leaves the step that failed and those after it to the step-by-step path, starting with that failure.
 */
export async function runFinalStepsTogether(ctx: TogetherContext, steps: FinalStep[]): Promise<Left> {
  const { tracker } = ctx;
  tracker.enter('FINALIZING', `${steps.join(', ')} at the merchant (one call, in this order)`);
  for (const name of steps) tracker.record(name).status = 'running';
  const calls = steps.map((name) => ctx.hookCall(name, STEP_EVENT[name], ctx.stepData(name)));
  const summary = `Merchant: ${calls.map((c) => c.type).join(', ')}`;
  try {
    const r = await localActs.merchantSteps.executeWithOptions(localCallOptions(summary, ctx.policies.merchant), [
      calls,
    ]);
    for (const name of steps) done(tracker, name, r.attempt);
    return { steps: [] };
  } catch (err) {
    const where = failedAt(err);
    const sent = new Set(where?.done ?? []);
    const left = steps.filter((name) => !sent.has(name));
    for (const name of steps.filter((n) => sent.has(n))) done(tracker, name, where?.attempt ?? 1);
    return { steps: left, failure: err };
  }
}

function done(tracker: Tracker, name: FinalStep, attempts: number): void {
  tracker.record(name).attempts += attempts;
  tracker.finishStep(name, 'done');
}

/** Which step a failed `merchantSteps` stopped at (undefined for a timeout: no step is known done). */
function failedAt(err: unknown): MerchantStepsFailure | undefined {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (!(cause instanceof ApplicationFailure)) return undefined;
  return cause.details?.[0] as MerchantStepsFailure | undefined;
}
