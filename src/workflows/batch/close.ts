import type { BatchOrderResult } from '../../contract/lean';
import { outcomeData, outcomeEvent } from '../shared/rules';
import type { Entry, HookJob } from './hook-batch';
import type { BatchMerchant } from './merchant';
import type { BatchTracker } from './tracker';

/**
 * NOTIFYING, for the batch's orders that did not end CANCELLED: release the holds still owed (one batch, not
 * cancellable), then tell the merchant each order's outcome (one batch).
 */
export async function closeBatch(entries: Entry[], calls: BatchMerchant, tracker: BatchTracker): Promise<void> {
  const notCancelled = entries.filter((e) => e.result?.outcome !== 'CANCELLED');
  if (notCancelled.length === 0) return;
  tracker.enter('NOTIFYING', `telling the merchant the outcome of ${notCancelled.length} order(s)`);
  const release: HookJob[] = notCancelled
    .filter((e) => e.holdOwed && !e.result?.providerCancelled)
    .map((e) => ({ e, step: 'releaseHold', type: 'cancellation.hold_released', data: {} }));
  if (release.length > 0) {
    const r = await calls.hooks(release);
    calls.logFailures(r, release, (j) => `releasing the hold of ${j.e.order.orderId} failed`);
  }
  const outcomes: HookJob[] = [];
  for (const e of notCancelled) {
    const res = e.result as BatchOrderResult;
    // With the provider state unknown the merchant is never told an abort: the provider may have cancelled.
    const type = outcomeEvent(res.outcome, res.providerCancelled);
    const data = outcomeData({
      outcome: res.outcome,
      message: res.message,
      providerCancelled: res.providerCancelled,
    });
    outcomes.push({ e, step: 'notify', type, data });
  }
  await calls.notify(outcomes, 'outcome');
}
