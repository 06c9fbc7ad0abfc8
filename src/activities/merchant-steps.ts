import { ApplicationFailure, Context } from '@temporalio/activity';
import type { StepName } from '../contract';
import type { HookCall, HookResult, MerchantHooks } from '../merchant/port';
import { toFailure } from './failure';
import { maxRetryDelayMs, reportRetry } from './retry-note';

/** What `merchantSteps` answers: each call's result, in the calls' order. */
export interface MerchantStepsResult {
  attempt: number;
  results: HookResult[];
}

/**
 * Details of a failed `merchantSteps` attempt: which step failed and the steps sent before it in that attempt (the
 * workflow marks those done and goes on from the failed one step by step).
 */
export interface MerchantStepsFailure {
  attempt: number;
  status?: number;
  step: StepName;
  done: StepName[];
}

/**
 * Several merchant steps of one order in one (local) activity, one after the other in the given order, each its own
 * signed event with its own Idempotency-Key: one workflow activation for all of them instead of one each. A retry
 * sends them again from the first (the keys let the merchant drop the repeats).
 */
export async function merchantSteps(hooks: MerchantHooks, calls: HookCall[]): Promise<MerchantStepsResult> {
  const attempt = Context.current().info.attempt;
  const results: HookResult[] = [];
  for (const call of calls) {
    try {
      results.push(await hooks(call));
    } catch (err) {
      const done = calls.slice(0, results.length).map((c) => c.step);
      const failure = withSteps(toFailure(err, attempt, maxRetryDelayMs()), { attempt, step: call.step, done });
      await reportRetry(call.step, failure);
      throw failure;
    }
  }
  return { attempt, results };
}

/** The failure of one step, its details naming the step and what was done before it. */
function withSteps(failure: unknown, where: MerchantStepsFailure): ApplicationFailure {
  if (!(failure instanceof ApplicationFailure)) {
    const err = failure as Error;
    return ApplicationFailure.create({
      type: err?.name ?? 'Error',
      message: String(err?.message ?? err),
      details: [where],
    });
  }
  const status = (failure.details?.[0] as { status?: number } | undefined)?.status;
  return ApplicationFailure.create({
    type: failure.type ?? 'Error',
    message: failure.message,
    nonRetryable: failure.nonRetryable ?? undefined,
    category: failure.category ?? undefined,
    nextRetryDelay: failure.nextRetryDelay ?? undefined,
    details: [{ ...where, ...(status === undefined ? {} : { status }) }],
  });
}
