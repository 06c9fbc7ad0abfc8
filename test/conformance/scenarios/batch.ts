import type { BatchCancelCapability } from '../../../src/providers/manifest';
import { batchWorkflowId } from '../../../src/contract';
import { bulkId, runBulk } from '../../helpers/bulk';
import { cancelledEvents, KIT_REASON, type ProviderHarness, type SeededOrder } from '../harness';
import { LOST_ANSWER_TIMEOUT_MS } from './lost-answer';

/** Run a bulk of `orders` in batches of `size` on a fresh worker; its batch workflows count as started. */
async function bulk(h: ProviderHarness, orders: SeededOrder[], size: number, env: Record<string, string> = {}) {
  const bid = bulkId(`conf-${h.provider}`);
  const w = await h.worker(env);
  const input = orders.map((o) => ({ orderId: o.id, snapshot: o.input.snapshot }));
  const { result, workflowId } = await runBulk(h.stack, w, {
    provider: h.provider,
    bulkId: bid,
    orders: input,
    reason: KIT_REASON,
    batchSize: size,
    limits: { callsPerBatch: 1 }, // one provider call per batch workflow: the batches are counted below
  });
  const batches = Math.ceil(orders.length / size);
  h.started.push(workflowId, ...Array.from({ length: batches }, (_, i) => batchWorkflowId(h.provider, bid, i + 1)));
  return result;
}

/** Scenario 11, for providers with `batchCancel`: a bulk through bulkCancelOrders, in batch calls. */
export function batchScenarios(h: ProviderHarness, cap: BatchCancelCapability): void {
  const size = Math.min(3, cap.maxIdsPerCall);
  const how = cap.reportsFailedIds ? 'the answer names it' : 'bisection isolates it';

  it(`a bulk of a few batches with one refused order: ${how}; it ends REJECTED, the others CANCELLED once`, async () => {
    const eligible = Array.from({ length: 7 }, () => h.seed(h.fixture.orders.eligible));
    const refused = h.seed(h.fixture.orders.refused, { faultTimes: Infinity });
    const orders = [...eligible.slice(0, 4), refused, ...eligible.slice(4)];
    const result = await bulk(h, orders, size);

    expect(result).toMatchObject({ state: 'DONE', total: 8, byOutcome: { CANCELLED: 7, REJECTED: 1 } });
    expect(result.notCancelled.map((n) => n.orderId)).toEqual([refused.id]);
    const calls = h.sim.requestsFor(h.route);
    expect(Math.max(...calls.map((r) => r.orderIds.length))).toBeLessThanOrEqual(size);
    if (!cap.reportsFailedIds) {
      expect(calls.some((r) => r.orderIds.length === 1 && r.orderIds[0] === refused.id)).toBe(true);
    }
    for (const o of eligible) {
      expect(h.cancellationsAtProvider(o.id)).toBe(1);
      expect(h.merchant.typesFor(o.id)).toEqual(cancelledEvents(o.paid));
    }
    expect(h.cancelledAtProvider(refused.id)).toBe(false);
    expect(h.merchant.typesFor(refused.id)).toEqual([
      'cancellation.hold_requested',
      'cancellation.hold_released',
      'cancellation.rejected',
    ]);
  });

  if (!h.canReadBack) return; // an operator confirms a batch's unknown orders: not in the kit yet
  it('a batch call whose answers are all lost (the provider cancelled) is settled from read-back: all CANCELLED once', async () => {
    const orders = Array.from({ length: 2 * size }, () => h.seed(h.fixture.orders.eligible));
    h.sim.injectFault({ route: h.route, orderId: orders[0].id, lostAnswer: true, times: Infinity });
    const result = await bulk(h, orders, size, { PROVIDER_TIMEOUT_MS: LOST_ANSWER_TIMEOUT_MS });

    expect(result).toMatchObject({ state: 'DONE', byOutcome: { CANCELLED: orders.length } });
    expect(h.sim.requestsFor(h.route, orders[0].id).length).toBeGreaterThan(1); // lost, then repeated
    for (const o of orders) {
      expect(h.cancellationsAtProvider(o.id)).toBe(1);
      expect(h.merchant.typesFor(o.id)).toEqual(cancelledEvents(o.paid));
    }
  });
}
