import { ErrorType, type CancelOrderInput, type ReadBack, type RetrySpec, type StepError } from '../../contract/lean';
import type { Activities } from '../../activities';
import { answerMayBeLost, provesNotCancelled, readBack } from '../shared/evidence';
import { runStep, type FailureKind } from '../shared/run-step';
import { OUTCOME_MESSAGE } from '../shared/rules';
import type { StepContext } from './ask-operator';

/**
 * Why a step gave up: a failure kind the saga ends on, or an abort; `abortedUnknown` is an abort while a lost answer
 * left the provider's side unknown (nothing is undone, nothing is told as fact).
 */
export type Stop = { stop: FailureKind | 'aborted' | 'abortedUnknown'; error?: StepError };
/** Whether a step's answer is a stop. */
export const isStop = (v: unknown): v is Stop => typeof v === 'object' && v !== null && 'stop' in v;

/** What the provider cancel answered (or what evidence settled). */
export type Cancelled = Awaited<ReturnType<Activities['cancelAtProvider']>>;

/** What the pivot needs of the saga. */
export interface PivotContext extends StepContext {
  readonly input: CancelOrderInput;
  readonly providerQueue: string | undefined;
}

/**
 * The pivot, settled from evidence: a failure that does not prove the order untouched (a lost answer, a refusal of a
 * repeat, retries spent) reads the order back. Cancelled there → the pivot is done; not cancelled → the failure
 * stands; unknown → an operator retries, aborts (nothing undone, nothing told as fact) or confirms what they checked.
 */
export async function runPivot(
  ctx: PivotContext,
  spec: RetrySpec,
  call: () => Promise<Cancelled>,
): Promise<Cancelled | Stop> {
  const rec = ctx.tracker.record('cancel');
  for (;;) {
    if (ctx.desk.abort) return { stop: 'aborted' } as Stop;
    rec.status = 'running';
    const r = await runStep(call, spec.maximumAttempts, (scope) => {
      ctx.desk.cancelCurrentStep = scope ? () => scope.cancel() : undefined;
    });
    rec.attempts += r.attempts;
    if (r.ok) {
      ctx.tracker.finishStep('cancel', 'done');
      return r.value;
    }
    const error = r.kind === 'cancelled' ? { type: ErrorType.Cancelled, message: 'stopped by abort' } : r.error;
    ctx.tracker.finishStep('cancel', 'failed', r.kind === 'cancelled' ? 'stopped by abort' : undefined, error);
    if (provesNotCancelled(r.kind, rec.attempts)) return { stop: r.kind, error } as Stop;
    const lost = answerMayBeLost(r, rec.attempts);
    const [seen] = await readBack(ctx.input.provider, [ctx.input.orderId], ctx.providerQueue);
    ctx.tracker.log(`the cancel failed (${error.type}${lost ? '; its answer may have been lost' : ''}); ${seen.note}`);
    if (seen.state === 'cancelled') return settledCancelled(ctx, rec.attempts, seen);
    // Unknown counts only when an answer may have been lost; answered failures (5xx, 429) cancelled nothing.
    const unknown = seen.state === 'unknown' && lost;
    if (ctx.desk.abort) return { stop: unknown ? 'abortedUnknown' : 'aborted', error } as Stop;
    if (!unknown && r.kind === 'rejected') return { stop: 'rejected', error } as Stop;
    ctx.tellAttention('cancel', error, unknown);
    const ids = unknown ? [ctx.input.orderId] : [];
    const decision = await ctx.desk.waitForOperator('cancel', error, ctx.operatorTimeoutMs, ids);
    if (decision === 'retry') continue;
    if (decision === 'abort') return { stop: unknown ? 'abortedUnknown' : 'aborted', error } as Stop;
    if (decision.cancelled) {
      const note = OUTCOME_MESSAGE.confirmedCancelled('the provider', decision.by);
      return settledCancelled(ctx, rec.attempts, { ...seen, note });
    }
    const message = OUTCOME_MESSAGE.confirmedNotCancelled('the provider', decision.by, decision.note);
    return {
      stop: r.kind === 'rejected' ? 'rejected' : 'transient',
      error: { ...error, message: `${error.message}; ${message}` },
    } as Stop;
  }
}

/** The provider's side is known cancelled (read back, or confirmed): the pivot is done. */
function settledCancelled(ctx: PivotContext, attempt: number, seen: ReadBack): Cancelled {
  ctx.tracker.finishStep('cancel', 'done', `settled: ${seen.note}`);
  return { orderId: ctx.input.orderId, status: 'CANCELLED', providerMessage: seen.note, attempt };
}
