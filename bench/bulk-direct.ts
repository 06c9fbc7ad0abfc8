import type { HookCall } from '../src/merchant/port';
import { mapLimited } from '../src/providers/limit';
import { HOOK_BATCH_CONCURRENCY, STEP_EVENT, type FinalStep } from '../src/contract';
import { loadConfig } from '../src/config';
import { activityDepsFrom } from '../src/worker/providers';

/** How the merchant events go out: one POST per event, or one POST per step of a batch (MERCHANT_DELIVERY). */
export type Delivery = 'per-event' | 'batched';

export interface DirectBulkOptions {
  batchSize: number;
  /** Provider calls (of batchSize ids) per batch: the orchestrator's batch workflow makes them one after the other. */
  callsPerBatch: number;
  /** Batches in flight at once (the bulk parent's window). */
  window: number;
  delivery: Delivery;
  /** Per-event delivery: webhooks of one batch in flight at once (merchantHookBatch's limit). */
  hookConcurrency?: number;
}

/**
 * The plain-script baseline of a Fincart bulk: the HTTP calls `cancelFincartBatch` makes on its happy path for
 * orders without a snapshot, straight from this process (no Temporal, no durability, no retries, no bisection):
 * per batch, the `hold_requested` events, a Fincart bulk cancel per `batchSize` ids (one after the other), then the `restock_requested` and the `completed`
 * events; per-event: a POST per event, `HOOK_BATCH_CONCURRENCY` at a time; batched: a POST per step (the worker's
 * sender, same caps). `window` batches at a time.
 */
export function createDirectBulk(sandboxEnv: Record<string, string>, opts: DirectBulkOptions) {
  // The worker's own senders and adapter, built as a worker builds them (both senders: batched delivery on).
  const { providers, hooks, batchHooks } = activityDepsFrom(
    loadConfig({ ...sandboxEnv, MERCHANT_DELIVERY: 'batched' }),
  );
  const fincart = providers.fincart;
  if (!fincart?.cancelMany || !batchHooks) throw new Error('the sandbox has no Fincart adapter');
  const cancelMany = fincart.cancelMany.bind(fincart);
  const hookLimit = opts.hookConcurrency ?? HOOK_BATCH_CONCURRENCY;
  const reason = { code: 'inventory' as const };

  return async (bulkId: string, ids: string[]): Promise<{ cancelled: number; events: number }> => {
    let events = 0;
    let cancelled = 0;
    const batches: string[][] = [];
    const unit = opts.batchSize * opts.callsPerBatch;
    for (let i = 0; i < ids.length; i += unit) batches.push(ids.slice(i, i + unit));
    const step = async (batchNo: number, orders: string[], name: 'hold' | FinalStep, data: object) => {
      const workflowId = `direct-bulk:${bulkId}:batch:${batchNo}`;
      const occurredAt = new Date().toISOString();
      const calls = orders.map((orderId): HookCall => ({
        step: name,
        type: STEP_EVENT[name],
        key: `${workflowId}/${orderId}/${name}`,
        workflowId,
        provider: 'fincart',
        orderId,
        occurredAt,
        data: { ...data, bulkId, batch: batchNo },
      }));
      if (opts.delivery === 'batched') {
        const out = await batchHooks(calls);
        if (out.some((o) => o.result !== 'done'))
          throw new Error(`batch ${batchNo}: the merchant did not take every event`);
      } else await mapLimited(calls, hookLimit, (call) => hooks(call));
      events += calls.length;
    };
    await mapLimited(
      batches.map((orders, i) => ({ orders, n: i + 1 })),
      opts.window,
      async ({ orders, n }) => {
        await step(n, orders, 'hold', { reason });
        for (let i = 0; i < orders.length; i += opts.batchSize) {
          const ids = orders.slice(i, i + opts.batchSize);
          const results = await cancelMany(ids, reason, { idempotencyKey: `direct-bulk:${bulkId}:${n}/cancel/c${i}` });
          cancelled += results.length;
        }
        await step(n, orders, 'restock', {});
        await step(n, orders, 'markCancelled', { outcome: 'CANCELLED', notifyCustomer: true, reason });
      },
    );
    return { cancelled, events };
  };
}
