import {
  providerDisplayName,
  type ProviderId,
  type ReadBack,
  type StepError,
  type StepName,
} from '../../contract/lean';
import { readBack } from '../shared/evidence';
import type { Decision, OperatorDesk } from '../shared/operator-desk';
import { OUTCOME_MESSAGE } from '../shared/rules';
import type { Entry } from './hook-batch';
import type { BatchTracker } from './tracker';

/** What settling a failed batch call needs of the batch saga. */
export interface SettleContext {
  readonly provider: ProviderId;
  readonly tracker: BatchTracker;
  readonly desk: OperatorDesk;
  /** The batch's orders by id. */
  byId(): Map<string, Entry>;
  /** The provider's own queue, except in histories from before it existed. */
  providerQueue(): string | undefined;
  end(e: Entry, outcome: 'REJECTED' | 'ABORTED', message: string, providerCancelled?: 'unknown'): void;
  endCancelled(e: Entry, message: string): void;
  cancelSegment(ids: string[], path: string, repeat?: boolean): Promise<void>;
  askOperator(step: StepName, error: StepError, affected: Entry[], unknown?: string[]): Promise<Decision>;
}

/**
 * The call's answer may have been lost (a crash, an outage, a refusal of a repeat): read each order back. Cancelled
 * there → CANCELLED; not cancellable → REJECTED; still pending after a refusal → cancelled again (the refusal was
 * about the others); the rest waits for an operator, who retries, aborts or confirms what they checked.
 */
export async function settleSegment(
  ctx: SettleContext,
  ids: string[],
  path: string,
  kind: string,
  error: StepError,
  lost: boolean,
): Promise<void> {
  const byId = ctx.byId();
  const seen = await readBack(ctx.provider, ids, ctx.providerQueue());
  const name = providerDisplayName(ctx.provider);
  const count = (f: (s: ReadBack) => boolean) => seen.filter(f).length;
  ctx.tracker.log(
    `${name}'s call for ${ids.length} order(s) failed (${error.type}${lost ? '; its answer may have been lost' : ''}); read back: ` +
      `${count((s) => s.state === 'cancelled')} cancelled, ${count((s) => s.cancellable === true)} still cancellable, ` +
      `${count((s) => s.state === 'not_cancelled' && !s.cancellable)} not cancellable, ${count((s) => s.state === 'unknown')} unknown`,
  );
  const again: string[] = [];
  const waiting: ReadBack[] = [];
  for (const s of seen) {
    const e = byId.get(s.orderId) as Entry;
    if (s.state === 'cancelled') ctx.endCancelled(e, `cancelled at ${name} (settled, ${s.note})`);
    else if (s.state === 'not_cancelled' && !s.cancellable)
      ctx.end(e, 'REJECTED', OUTCOME_MESSAGE.providerRefused(name, `${error.message} (${s.note})`));
    else if (s.cancellable && kind === 'rejected') again.push(s.orderId);
    // Unknown counts only when an answer may have been lost; answered failures (5xx, 429) cancelled nothing.
    else waiting.push(s.state === 'unknown' && !lost ? { ...s, state: 'not_cancelled' } : s);
  }
  if (again.length > 0) await ctx.cancelSegment(again, `${path}.r`);
  if (waiting.length > 0) await askAboutSegment(ctx, waiting, path, error);
}

/** Orders of a call that evidence did not settle: the operator retries them, aborts, or confirms their state. */
async function askAboutSegment(ctx: SettleContext, waiting: ReadBack[], path: string, error: StepError): Promise<void> {
  const byId = ctx.byId();
  let left = waiting;
  while (left.length > 0) {
    const unknown = left.filter((s) => s.state === 'unknown').map((s) => s.orderId);
    const decision: Decision = await ctx.askOperator(
      'cancel',
      error,
      left.map((s) => byId.get(s.orderId) as Entry),
      unknown,
    );
    if (decision === 'retry')
      return ctx.cancelSegment(
        left.map((s) => s.orderId),
        `${path}.o`,
        true,
      );
    if (decision === 'abort') {
      const { reason = 'abort', by } = ctx.desk.abort ?? {};
      const message = OUTCOME_MESSAGE.abortedUnknown(reason, providerDisplayName(ctx.provider), by);
      for (const id of unknown) ctx.end(byId.get(id) as Entry, 'ABORTED', message, 'unknown');
      return; // the others are known not cancelled: aborted before the pivot (holds released)
    }
    const name = providerDisplayName(ctx.provider);
    for (const id of decision.orderIds) {
      const e = byId.get(id) as Entry;
      if (decision.cancelled) ctx.endCancelled(e, OUTCOME_MESSAGE.confirmedCancelled(name, decision.by));
      else ctx.end(e, 'REJECTED', OUTCOME_MESSAGE.confirmedNotCancelled(name, decision.by, decision.note));
    }
    left = left.filter((s) => !decision.orderIds.includes(s.orderId));
  }
}
