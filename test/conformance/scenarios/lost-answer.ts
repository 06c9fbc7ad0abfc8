import { waitFor } from '../../helpers/wait';
import { cancelledEvents, type ProviderHarness } from '../harness';

/** Call timeout of the lost-answer scenarios: each lost answer costs one (the stack's default is 2 s). */
export const LOST_ANSWER_TIMEOUT_MS = '500';

/**
 * Scenario 10: the provider cancels but every answer is lost (a crash or an outage mid-call), for the whole retry
 * budget. Settled from evidence where the order can be read back; else an operator confirms what they checked.
 */
export function lostAnswerScenario(h: ProviderHarness): void {
  const readBack =
    'the provider cancelled, every answer lost → read back → CANCELLED, cancelled once, no hold released';
  const confirm =
    'the provider cancelled, every answer lost → AWAITING_OPERATOR, state unknown; confirmCancelled → CANCELLED';
  // An asynchronous provider's job still running at the read-back is "unknown", not "not cancelled": that branch is
  // test/workflow/lost-answer.test.ts's; here the fixture's lost-answer order has a job that finishes on its own.
  it(h.canReadBack ? readBack : confirm, async () => {
    const order = h.seed(h.fixture.orders.lostAnswer ?? h.fixture.orders.eligible);
    h.sim.injectFault({ route: h.route, orderId: order.id, lostAnswer: true, times: Infinity });
    const w = await h.worker({ PROVIDER_TIMEOUT_MS: LOST_ANSWER_TIMEOUT_MS });
    const result = await w.worker.runUntil(async () => {
      const handle = await h.start(w, order);
      if (h.canReadBack) return h.outcome(w, handle.workflowId);
      const status = await h.awaiting(w, handle.workflowId);
      expect(status.awaiting).toMatchObject({ step: 'cancel', providerState: 'unknown', unknownOrderIds: [order.id] });
      expect(status.awaiting?.actions).toEqual(expect.arrayContaining(['confirmCancelled', 'confirmNotCancelled']));
      const told = await waitFor(
        () => h.merchant.events.find((e) => e.orderId === order.id && e.type === 'cancellation.needs_attention'),
        'the merchant to be told the provider state is unknown',
      );
      expect(told.data).toMatchObject({ providerState: 'unknown' });
      const note = 'seen cancelled at the provider';
      expect(await w.client.confirm(handle.workflowId, true, { by: 'conformance', note })).toBe(
        'confirmation accepted',
      );
      return handle.result();
    });

    expect(result).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true });
    expect(h.sim.requestsFor(h.route, order.id).length).toBeGreaterThan(1); // the answers were lost, then repeated
    expect(h.cancellationsAtProvider(order.id)).toBe(1);
    const attention = h.canReadBack ? [] : ['cancellation.needs_attention'];
    expect(h.merchant.typesFor(order.id)).toEqual(cancelledEvents(order.paid, attention));
  });
}
