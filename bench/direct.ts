import { createWebhookHooks } from '../src/merchant/webhook';
import { type HookCall, type MerchantHooks, MerchantTransientError } from '../src/merchant/port';
import { DEFAULT_ELIGIBILITY, judgeStatus } from '../src/providers/eligibility';
import { ProviderTransientError } from '../src/contract';
import type { ProviderAdapter } from '../src/providers/types';
import { loadConfig } from '../src/config';
import { buildAdapters } from '../src/worker/providers';

/** Up to 3 attempts on a transient error, 50 ms then 100 ms apart; anything else throws at once. */
async function withRetries<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const transient = err instanceof ProviderTransientError || err instanceof MerchantTransientError;
      if (!transient || attempt >= 3) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}

/**
 * The plain-script baseline: the same provider and merchant calls as cancelOrder's happy path (Fungies lookup, hold,
 * cancel, refund, restock, mark cancelled), straight from this process: no Temporal, no durability, no compensation.
 */
export function createDirectCanceller(sandboxEnv: Record<string, string>): (orderId: string) => Promise<string> {
  const config = loadConfig(sandboxEnv);
  const adapter = buildAdapters(config.env).fungies as ProviderAdapter;
  const hooks: MerchantHooks = createWebhookHooks({
    url: config.env.MERCHANT_WEBHOOK_URL,
    secret: config.env.MERCHANT_WEBHOOK_SECRET,
  });
  const rules = config.eligibility.fungies ?? DEFAULT_ELIGIBILITY.fungies;
  return async (orderId) => {
    const workflowId = `direct:fungies:${orderId}`;
    const hook = (step: HookCall['step'], type: HookCall['type'], data: Record<string, unknown> = {}) =>
      withRetries(() =>
        hooks({
          step,
          type,
          key: `${workflowId}/${step}`,
          workflowId,
          provider: 'fungies',
          orderId,
          occurredAt: new Date().toISOString(),
          data,
        }),
      );
    const order = await withRetries(() => adapter.lookup!(orderId));
    const verdict = judgeStatus(rules, order.status);
    if (verdict !== 'ELIGIBLE') return verdict;
    await hook('hold', 'cancellation.hold_requested', { reason: { code: 'customer_request' } });
    const reason = { code: 'customer_request' as const };
    await withRetries(() => adapter.cancel(orderId, reason, { idempotencyKey: `${workflowId}/cancel` }));
    if (order.paid) await hook('refund', 'cancellation.refund_requested');
    await hook('restock', 'cancellation.restock_requested');
    await hook('markCancelled', 'cancellation.completed', { outcome: 'CANCELLED', notifyCustomer: true, reason });
    return 'CANCELLED';
  };
}
