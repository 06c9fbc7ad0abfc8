import type { RetrySpec, StepError, StepName } from '../../contract/lean';
import type { OperatorDesk } from '../shared/operator-desk';
import { runStep } from '../shared/run-step';
import type { Stop } from './pivot';
import type { Tracker } from './tracker';

/** What running a step uses of the saga. */
export interface StepContext {
  readonly tracker: Tracker;
  readonly desk: OperatorDesk;
  /** The provider has cancelled: from here on nothing is undone, and any failure waits for an operator. */
  pastPivot(): boolean;
  readonly operatorTimeoutMs: number;
  /** Tell the merchant that a step waits for an operator (needs_attention, the run's next notice). */
  tellAttention(step: StepName, error: StepError, unknown?: boolean): void;
}

/**
 * Run a step to success or a stop. A failure an operator can fix (a transient one; before the pivot an ambiguous
 * refusal; after the pivot any) waits in AWAITING_OPERATOR for retry (run again, fresh budget) or abort.
 */
export async function runStepAskingOperator<T extends { attempt: number }>(
  ctx: StepContext,
  name: StepName,
  budget: RetrySpec,
  call: () => Promise<T>,
): Promise<T | Stop> {
  const rec = ctx.tracker.record(name);
  for (;;) {
    if (ctx.desk.abort && !ctx.pastPivot()) return { stop: 'aborted' };
    rec.status = 'running';
    const r = await runStep(call, budget.maximumAttempts, (scope) => {
      ctx.desk.cancelCurrentStep = scope ? () => scope.cancel() : undefined;
    });
    rec.attempts += r.attempts;
    if (r.ok) {
      ctx.tracker.finishStep(name, 'done');
      return r.value;
    }
    if (r.kind === 'cancelled') {
      ctx.tracker.finishStep(name, 'failed', 'stopped by abort');
      return { stop: 'aborted' };
    }
    ctx.tracker.finishStep(name, 'failed', undefined, r.error);
    // A refusal after earlier failed attempts is ambiguous: one of them may have cancelled (the answer cannot tell).
    const ambiguous = name === 'cancel' && (r.kind === 'response' || (r.kind === 'rejected' && rec.attempts > 1));
    const operatorCanFix = r.kind === 'transient' || ctx.pastPivot() || ambiguous;
    if (!operatorCanFix) return { stop: r.kind, error: r.error };
    ctx.tellAttention(name, r.error);
    const decision = await ctx.desk.waitForOperator(name, r.error, ctx.operatorTimeoutMs);
    if (decision === 'abort') return { stop: 'aborted', error: r.error };
  }
}
