import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { STEP_EVENT, type FinalStep, type HookStep, type MerchantEventType, type Policies } from '../../contract/lean';
import type { Activities } from '../../activities';
import type { HookCall } from '../../merchant/port';
import type { MerchantStepsFailure } from '../../activities/merchant-steps';
import { localActs, localCallOptions } from '../shared/activity-options';
import { runStepAskingOperator, type StepContext } from './ask-operator';
import { isStop } from './pivot';
import type { Tracker } from './tracker';

/**
 * Histories from before the steps after the pivot ran together (one local activity, so one workflow activation for
 * all of them, and no NOTIFYING state between them) keep one local activity per step.
 */
export const FINAL_STEPS_TOGETHER_PATCH = 'final-steps-together-v1';

/** What the steps after the pivot use of the saga. */
export interface FinalContext {
  /** What running one step (and asking an operator) uses. */
  readonly step: StepContext;
  readonly policies: Policies;
  /** The merchant call of a step, as the step-by-step path sends it (same key, type and data). */
  hookCall(step: HookStep, type: MerchantEventType, data: Record<string, unknown>): HookCall;
  /** One merchant step as its own local activity. */
  callMerchant(
    step: HookStep,
    type: MerchantEventType,
    data: Record<string, unknown>,
  ): ReturnType<Activities['merchantHook']>;
  /** The data of a final step's event. */
  stepData(step: FinalStep): Record<string, unknown>;
}

/**
 * FINALIZING, NOTIFYING: the planned steps, each retried forward (after the pivot nothing is undone); `together`
 * (patched) runs two or more in one local activity first, and what a failure leaves goes on step by step. Returns
 * the steps an abort skipped, or undefined when all were done.
 */
export async function runFinalSteps(
  ctx: FinalContext,
  planned: FinalStep[],
  together: boolean,
): Promise<FinalStep[] | undefined> {
  const { desk, tracker } = ctx.step;
  const inOne = together && planned.length > 1 && !desk.abort;
  const left: Left = inOne ? await runTogether(ctx, planned) : { steps: planned };
  let failure = left.failure;
  for (const [i, name] of left.steps.entries()) {
    if (desk.abort) return left.steps.slice(i);
    tracker.enter(name === 'markCancelled' ? 'NOTIFYING' : 'FINALIZING', `${name} at the merchant`);
    const done = await runStepAskingOperator(ctx.step, name, ctx.policies.merchant, () => {
      // The first step a failed call together left starts from that failure (no second budget of retries).
      const earlier = failure;
      failure = undefined;
      return earlier ? Promise.reject(earlier) : ctx.callMerchant(name, STEP_EVENT[name], ctx.stepData(name));
    });
    if (isStop(done)) return left.steps.slice(i);
  }
  if (inOne && desk.abort) tracker.log('abort came while the steps after the pivot ran; all were sent');
  return undefined;
}

/** What is left after the steps ran together: the steps not done, and the failure of the first of them. */
interface Left {
  steps: FinalStep[];
  failure?: unknown;
}

/**
 * Run the steps after the pivot in one local activity, in order (refund, restock, then markCancelled: the merchant
 * hears `cancellation.completed` last, as before). Each step keeps its record (status, attempts) and its own event.
 */
async function runTogether(ctx: FinalContext, steps: FinalStep[]): Promise<Left> {
  const { tracker } = ctx.step;
  tracker.enter('FINALIZING', `${steps.join(', ')} at the merchant (one call, in this order)`);
  for (const name of steps) tracker.record(name).status = 'running';
  const calls = steps.map((name) => ctx.hookCall(name, STEP_EVENT[name], ctx.stepData(name)));
  const options = localCallOptions(`Merchant: ${calls.map((c) => c.type).join(', ')}`, ctx.policies.merchant);
  try {
    const r = await localActs.merchantSteps.executeWithOptions(options, [calls]);
    for (const name of steps) done(tracker, name, r.attempt);
    return { steps: [] };
  } catch (err) {
    const where = failedAt(err);
    const sent = new Set(where?.done ?? []);
    for (const name of steps.filter((n) => sent.has(n))) done(tracker, name, where?.attempt ?? 1);
    return { steps: steps.filter((name) => !sent.has(name)), failure: err };
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
