import { envPrefix } from '../../../src/providers/manifest';
import { FAST_RETRIES } from '../../helpers/stack';
import { waitFor } from '../../helpers/wait';
import { cancelledEvents, type ProviderHarness } from '../harness';

/** Scenarios 5-8: a provider that fails the way providers do (5xx, 429, refused credentials, a hang). */
export function faultScenarios(h: ProviderHarness): void {
  const P = () => envPrefix(h.provider);
  const budget = () => Number(FAST_RETRIES[`${P()}_RETRY_MAX_ATTEMPTS`]);

  it('a 5xx (its body echoing the credentials) then success → CANCELLED after one retry', async () => {
    const order = h.seed(h.fixture.orders.eligible);
    const body = JSON.stringify({ message: `upstream unavailable; request was ${h.secrets.join(' ')}` });
    h.sim.injectFault({ route: h.route, orderId: order.id, status: 503, body });
    const logged = h.log.lines.length;
    const result = await h.cancel(order);

    expect(result).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true, attempts: 2 });
    expect(h.sim.requestsFor(h.route, order.id).map((r) => r.responseStatus)).toEqual([503, 200]);
    expect(h.cancellationsAtProvider(order.id)).toBe(1);
    expect(h.merchant.typesFor(order.id)).toEqual(cancelledEvents(order.paid));
    // The failed attempt reached the worker's log, so the kit's secrets check (after each test) reads real text.
    expect(h.log.lines.slice(logged).some((line) => line.includes('503'))).toBe(true);
  });

  it("429 with Retry-After → each retry waits the asked time, bounded by the policy's maximum interval", async () => {
    const maxIntervalMs = 1500;
    const order = h.seed(h.fixture.orders.eligible);
    h.sim.injectFault({ route: h.route, orderId: order.id, status: 429, retryAfter: '1' });
    h.sim.injectFault({ route: h.route, orderId: order.id, status: 429, retryAfter: '3600' });
    const result = await h.cancel(order, { [`${P()}_RETRY_MAX_INTERVAL_MS`]: String(maxIntervalMs) });

    expect(result).toMatchObject({ outcome: 'CANCELLED', attempts: 3 });
    const calls = h.sim.requestsFor(h.route, order.id);
    expect(calls.map((r) => r.responseStatus)).toEqual([429, 429, 200]);
    const [asked1s, askedAnHour] = [calls[1].at - calls[0].at, calls[2].at - calls[1].at];
    // Not the test stack's 20 ms backoff: the second waited the asked 1 s, the third the 1.5 s cap, not an hour.
    expect(asked1s).toBeGreaterThanOrEqual(990);
    expect(askedAnHour).toBeGreaterThanOrEqual(maxIntervalMs - 10);
    expect(askedAnHour).toBeLessThan(maxIntervalMs + 10_000);
  });

  // The documented contract (DESIGN.md, README's outcome table): refused credentials are a configuration problem,
  // not retried; the hold is released and the outcome is FAILED (no operator wait: a retry would be refused again).
  it('bad credentials → FAILED with ProviderAuthError, not retried, any hold released, nothing cancelled', async () => {
    const order = h.seed(h.fixture.orders.eligible);
    const result = await h.cancel(order, h.badCredentials());

    expect(result).toMatchObject({ outcome: 'FAILED', providerCancelled: false });
    expect(result.error?.type).toBe('ProviderAuthError');
    const routes = h.sim.requests.map((r) => r.route);
    expect(routes.length).toBeGreaterThan(0);
    expect(new Set(routes).size).toBe(routes.length); // no call was repeated
    expect(h.cancelledAtProvider(order.id)).toBe(false);
    const events = h.merchant.typesFor(order.id);
    expect(events.at(-1)).toBe('cancellation.rejected');
    const count = (type: string) => events.filter((e) => e === `cancellation.${type}`).length;
    expect(count('hold_released')).toBe(count('hold_requested'));
  });

  it('a cancel that hangs is cut at the call timeout and retried, then waits for an operator; no slot is held', async () => {
    const timeoutMs = 500;
    // One activity slot per queue: the second order goes through only if each hung call gives its slot back.
    const w = await h.worker({ PROVIDER_TIMEOUT_MS: String(timeoutMs) }, { maxConcurrentActivityTaskExecutions: 1 });
    const [hung, fine] = [h.seed(h.fixture.orders.eligible), h.seed(h.fixture.orders.eligible)];
    h.sim.injectFault({ route: h.route, orderId: hung.id, hang: true, times: Infinity });
    const result = await w.worker.runUntil(async () => {
      const stuck = await h.start(w, hung);
      await waitFor(() => h.sim.requestsFor(h.route, hung.id).length > 0, 'the hung cancel to arrive');
      expect(await h.outcome(w, (await h.start(w, fine)).workflowId)).toMatchObject({ outcome: 'CANCELLED' });
      const status = await h.awaiting(w, stuck.workflowId);
      expect(status.awaiting?.step).toBe('cancel');
      expect(status.awaiting?.error?.message).toContain(`no answer within ${timeoutMs} ms`);
      // A call cut at its timeout may have gone through: unknown unless the order can be read back (and, for an
      // asynchronous cancel, a job the call may have started could still cancel it: unknown too).
      const conclusive = h.canReadBack && !h.plugin.manifest.capabilities.asyncCancel;
      expect(status.awaiting?.providerState).toBe(conclusive ? undefined : 'unknown');
      expect(h.sim.requestsFor(h.route, hung.id)).toHaveLength(budget());
      h.sim.clearFaults(); // the provider answers again: the operator's retry finishes it
      await w.client.retry(stuck.workflowId, 'conformance');
      return stuck.result();
    });

    expect(result).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true });
    expect(h.cancellationsAtProvider(hung.id)).toBe(1);
    expect(h.merchant.typesFor(hung.id)).toEqual(cancelledEvents(hung.paid, ['cancellation.needs_attention']));
  });
}
