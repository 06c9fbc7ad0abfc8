import { ErrorType } from '../../../src/contract';
import { createFastpodAdapter, type FastpodConfig } from '../../../src/providers/fastpod';
import type { ProviderAdapter } from '../../../src/providers/types';
import { FastpodSim } from '../../../src/providers/fastpod/simulator';
import { itMapsTransportFaults, providerFailure, useSim } from '../../helpers/provider-sim';

const TOKEN = 'fp_test_token_8d1f0c2e9a7b4d33';
const ID = 'F237-120723-000001';
const REASON = { code: 'customer_request' } as const;
const sim = new FastpodSim({ token: TOKEN });

const failure = (p: Promise<unknown>) => providerFailure(p, [TOKEN]);

function adapter(over: Partial<FastpodConfig> = {}): Required<ProviderAdapter> {
  return createFastpodAdapter({
    baseUrl: sim.url,
    token: TOKEN,
    timeoutMs: 2000,
    ...over,
  }) as Required<ProviderAdapter>;
}

useSim(sim, [{ id: ID, status: 'new_order', paid: true }]);

describe('fastpod cancel', () => {
  it('sends POST /v1/orders/{id}/cancel with bearer token and Accept, no body, and maps 200 to CANCELLED', async () => {
    const result = await adapter().cancel(ID, REASON);
    expect(result).toEqual({ orderId: ID, status: 'CANCELLED', providerMessage: 'Order cancelled successfully.' });
    expect(sim.requests).toHaveLength(1);
    const [req] = sim.requests;
    expect(req).toMatchObject({ method: 'POST', url: `/v1/orders/${ID}/cancel`, route: 'cancel', body: '' });
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers.accept).toBe('application/json');
    expect(sim.orders.get(ID)?.status).toBe('cancelled');
  });

  it.each(['draft', 'on_hold'])('cancels an order in %s', async (status) => {
    sim.seed([{ id: ID, status }]);
    await expect(adapter().cancel(ID, REASON)).resolves.toMatchObject({ status: 'CANCELLED' });
  });

  it.each(['in_production', 'shipped', 'rejected'])(
    'maps the 422 for an order in %s to ProviderRejectedError',
    async (status) => {
      sim.seed([{ id: ID, status }]);
      const err = await failure(adapter().cancel(ID, REASON));
      expect(err.type).toBe(ErrorType.Rejected);
      expect(err.status).toBe(422);
      expect(err.message).toContain(ID);
      expect(err.message).toContain(`cannot be cancelled while it is ${status}`);
      // The refusal is double-checked against the order itself.
      expect(sim.requests.map((r) => r.route)).toEqual(['cancel', 'lookup']);
    },
  );

  it('treats a repeat cancel (422, then lookup says cancelled) as ALREADY_CANCELLED', async () => {
    await adapter().cancel(ID, REASON);
    const again = await adapter().cancel(ID, REASON);
    expect(again.status).toBe('ALREADY_CANCELLED');
    expect(again.providerMessage).toContain('cannot be cancelled while it is cancelled');
  });

  it('keeps the 422 a rejection when the confirming lookup itself is refused', async () => {
    sim.seed([{ id: ID, status: 'shipped' }]).injectFault({ route: 'lookup', status: 404 });
    expect((await failure(adapter().cancel(ID, REASON))).status).toBe(422);
  });

  it('retries rather than rejects when the confirming lookup fails transiently', async () => {
    sim.seed([{ id: ID, status: 'cancelled' }]).injectFault({ route: 'lookup', status: 503 });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err.type).toBe(ErrorType.Transient);
  });

  it('maps 404 (unknown order) to ProviderRejectedError without a lookup', async () => {
    const err = await failure(adapter().cancel('F237-000000-404404', REASON));
    expect(err.type).toBe(ErrorType.Rejected);
    expect(err.message).toMatch(/not found \(HTTP 404\): Order not found\./);
    expect(sim.requests.map((r) => r.route)).toEqual(['cancel']);
  });

  it('maps a wrong token to ProviderAuthError', async () => {
    const err = await failure(adapter({ token: 'wrong-token-value' }).cancel(ID, REASON));
    expect(err.type).toBe(ErrorType.Auth);
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain('Unauthenticated.');
  });

  it('never repeats a token the provider echoes back', async () => {
    sim.injectFault({ route: 'cancel', status: 401, body: JSON.stringify({ message: `Token ${TOKEN} is invalid` }) });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err.message).toContain('Token [redacted] is invalid');
  });

  it('maps 500 to ProviderTransientError', async () => {
    sim.injectFault({ route: 'cancel', status: 500, body: '{"message":"Server Error"}' });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Transient, status: 500, retryable: true });
    expect(err.message).toContain('Server Error');
  });

  it('maps 429 with Retry-After to ProviderTransientError with retryAfterMs', async () => {
    sim.injectFault({ route: 'cancel', status: 429, retryAfter: '7' });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Transient, status: 429, retryAfterMs: 7000 });
  });

  it('maps a 200 that does not show the order cancelled to ProviderResponseError', async () => {
    const body = { status: true, message: 'ok', data: { id: ID, order_status: 'in_production' } };
    sim.injectFault({ route: 'cancel', status: 200, body: JSON.stringify(body) });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toContain('"in_production"');
  });

  it('keeps a path-traversal id inside its path segment', async () => {
    const evil = '../admin?x=1#y';
    sim.seed([{ id: evil, status: 'draft' }]);
    await expect(adapter().cancel(evil, REASON)).resolves.toMatchObject({ orderId: evil, status: 'CANCELLED' });
    expect(sim.requestsFor('cancel', evil)).toHaveLength(1);
    expect(sim.requests.filter((r) => r.route !== 'cancel')).toEqual([]);
    expect(sim.requests[0].url).toBe('/v1/orders/..%2Fadmin%3Fx%3D1%23y/cancel');
  });

  it('refuses ids that URL parsing would resolve away, before any request', async () => {
    for (const id of ['', '.', '..']) {
      expect((await failure(adapter().cancel(id, REASON))).type).toBe(ErrorType.InvalidRequest);
    }
    expect(sim.requests).toEqual([]);
  });
});

describe('fastpod transport faults', () => {
  itMapsTransportFaults({ provider: 'fastpod', sim, cancel: (o) => adapter(o).cancel(ID, REASON), secrets: [TOKEN] });
});

describe('fastpod lookup', () => {
  it('sends GET /v1/orders/{id} and reads the bare order object', async () => {
    await expect(adapter().lookup(ID)).resolves.toEqual({ orderId: ID, status: 'new_order', paid: true });
    const [req] = sim.requests;
    expect(req).toMatchObject({ method: 'GET', url: `/v1/orders/${ID}`, route: 'lookup', body: '' });
    expect(req.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(req.headers.accept).toBe('application/json');
  });

  it('maps payment_status unpaid to paid:false and an unknown value to undefined', async () => {
    sim.seed([{ id: ID, status: 'shipped', paid: false }]);
    await expect(adapter().lookup(ID)).resolves.toEqual({ orderId: ID, status: 'shipped', paid: false });
    sim.injectFault({ route: 'lookup', status: 200, body: JSON.stringify({ id: ID, order_status: 'draft' }) });
    await expect(adapter().lookup(ID)).resolves.toEqual({ orderId: ID, status: 'draft', paid: undefined });
  });

  it('tolerates the order wrapped in {status, data}', async () => {
    const body = { status: true, data: { id: ID, order_status: 'on_hold', payment_status: 'paid' } };
    sim.injectFault({ route: 'lookup', status: 200, body: JSON.stringify(body) });
    await expect(adapter().lookup(ID)).resolves.toEqual({ orderId: ID, status: 'on_hold', paid: true });
  });

  it('maps an unknown order to ProviderRejectedError and a shapeless 200 to ProviderResponseError', async () => {
    expect((await failure(adapter().lookup('nope'))).type).toBe(ErrorType.Rejected);
    sim.injectFault({ route: 'lookup', status: 200, body: '{"id":"x"}' });
    const err = await failure(adapter().lookup(ID));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toContain('does not match the documented order object');
  });
});

describe('fastpod config', () => {
  it('refuses an empty token or a non-http base URL without echoing them', () => {
    expect(() => createFastpodAdapter({ baseUrl: 'http://x', token: '' })).toThrow(/token must be non-empty/);
    expect(() => createFastpodAdapter({ baseUrl: 'ftp://secret@x', token: TOKEN })).toThrow(/^fastpod: baseUrl/);
    expect(() => createFastpodAdapter({ baseUrl: 'http://x', token: `${TOKEN}\n` })).toThrow(/control characters/);
  });
});
