import { isCancellation } from '@temporalio/workflow';
import { asyncCancelOf, ELIGIBILITY_RETRY, type ProviderId, type ReadBack } from '../../contract/lean';
import { acts, callOptions } from './activity-options';

/** Histories from before a lost answer was settled from evidence keep their old path (operator, or a guess). */
export const PROVIDER_EVIDENCE_PATCH = 'provider-evidence-v1';

/**
 * Read orders back at the provider (on its own queue, under its cap and pause). A read that itself fails (retries
 * spent, or the provider cannot read orders back) leaves the orders `unknown`: only evidence settles anything.
 */
export async function readBack(provider: ProviderId, orderIds: string[], taskQueue?: string): Promise<ReadBack[]> {
  const summary = `Read back ${orderIds.length === 1 ? `${provider} order ${orderIds[0]}` : `${orderIds.length} ${provider} orders`} (evidence for a lost answer)`;
  const options = { ...callOptions(summary, ELIGIBILITY_RETRY), ...(taskQueue ? { taskQueue } : {}) };
  try {
    const r = await acts.readBackOrders.executeWithOptions(options, [{ provider, orderIds }]);
    return asyncCancelOf(provider) ? r.results.map(jobMayRun) : r.results;
  } catch (err) {
    if (isCancellation(err)) throw err;
    const why =
      (err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message;
    return orderIds.map((orderId) => ({ orderId, state: 'unknown', note: `read back failed: ${why}` }));
  }
}

/** A pivot failure that proves nothing was cancelled: a first refusal, or a configuration or input problem. */
export function provesNotCancelled(kind: string, attemptsSoFar: number): boolean {
  return (kind === 'rejected' && attemptsSoFar <= 1) || kind === 'auth' || kind === 'invalid' || kind === 'config';
}

/**
 * A pivot failure that may hide a cancel that went through: an answer lost (timeout, dropped connection, dead worker,
 * an abort mid-call), an answer we cannot read, or a refusal of a repeat (the earlier attempt may have done it).
 */
export function answerMayBeLost(r: { kind: string; answered?: boolean }, attemptsSoFar: number): boolean {
  if (r.kind === 'response' || r.kind === 'cancelled') return true;
  if (r.kind === 'rejected') return attemptsSoFar > 1;
  return r.kind === 'transient' && r.answered !== true;
}

/**
 * An asynchronous provider's order that still reads cancellable proves nothing: the job a lost call started may still
 * be running and cancel it later. Only "cancelled" (or not cancellable any more) settles it.
 */
function jobMayRun(s: ReadBack): ReadBack {
  if (s.state !== 'not_cancelled' || !s.cancellable) return s;
  return { ...s, state: 'unknown', note: `${s.note}; a cancel job started by a lost call may still be running` };
}
