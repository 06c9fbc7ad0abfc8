import { createWebhookHooks } from '../src/merchant/webhook';
import { type HookCall, type MerchantHooks } from '../src/merchant/port';
import { HOOK_BATCH_CONCURRENCY, STEP_EVENT, type FinalStep } from '../src/contract';
import { loadConfig } from '../src/config';
import { buildAdapters } from '../src/worker/providers';

/** Which calls the plain script makes: all of them, only the per-order webhooks, or only the batch cancels. */
export type DirectMode = 'all' | 'webhooks' | 'batch';

export interface DirectBulkOptions {
  batchSize: number;
  /** Batches in flight at once (the bulk parent's window). */
  window: number;
  /** Webhooks of one batch in flight at once (merchantHookBatch's limit). */
  hookConcurrency?: number;
}

async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/**
 * The plain-script baseline of a Fincart bulk: the HTTP calls `cancelFincartBatch` makes on its happy path for
 * orders without a snapshot, straight from this process (no Temporal, no durability, no retries, no bisection):
 * per batch, a `hold_requested` webhook per order, ONE Fincart bulk cancel, then `restock_requested` and
 * `completed` per order; each step's webhooks `HOOK_BATCH_CONCURRENCY` at a time, `window` batches at a time.
 */
export function createDirectBulk(sandboxEnv: Record<string, string>, opts: DirectBulkOptions) {
  const config = loadConfig(sandboxEnv);
  const fincart = buildAdapters(config.env).fincart;
  if (!fincart?.cancelMany) throw new Error('the sandbox has no Fincart adapter');
  const cancelMany = fincart.cancelMany.bind(fincart);
  const hooks: MerchantHooks = createWebhookHooks({
    url: config.env.MERCHANT_WEBHOOK_URL,
    secret: config.env.MERCHANT_WEBHOOK_SECRET,
  });
  const hookLimit = opts.hookConcurrency ?? HOOK_BATCH_CONCURRENCY;
  const reason = { code: 'inventory' as const };

  return async (bulkId: string, ids: string[], mode: DirectMode): Promise<{ cancelled: number; webhooks: number }> => {
    let webhooks = 0;
    let cancelled = 0;
    const batches: string[][] = [];
    for (let i = 0; i < ids.length; i += opts.batchSize) batches.push(ids.slice(i, i + opts.batchSize));
    const step = async (batchNo: number, orders: string[], name: 'hold' | FinalStep, data: object) => {
      if (mode === 'batch') return;
      const workflowId = `direct-bulk:${bulkId}:batch:${batchNo}`;
      const occurredAt = new Date().toISOString();
      await eachLimited(orders, hookLimit, async (orderId) => {
        const call: HookCall = {
          step: name,
          type: STEP_EVENT[name],
          key: `${workflowId}/${orderId}/${name}`,
          workflowId,
          provider: 'fincart',
          orderId,
          occurredAt,
          data: { ...data, bulkId, batch: batchNo },
        };
        await hooks(call);
        webhooks += 1;
      });
    };
    await eachLimited(
      batches.map((orders, i) => ({ orders, n: i + 1 })),
      opts.window,
      async ({ orders, n }) => {
        await step(n, orders, 'hold', { reason });
        if (mode !== 'webhooks') {
          const results = await cancelMany(orders, reason, { idempotencyKey: `direct-bulk:${bulkId}:${n}/cancel/all` });
          cancelled += results.length;
        }
        await step(n, orders, 'restock', {});
        await step(n, orders, 'markCancelled', { outcome: 'CANCELLED', notifyCustomer: true, reason });
      },
    );
    return { cancelled, webhooks };
  };
}
