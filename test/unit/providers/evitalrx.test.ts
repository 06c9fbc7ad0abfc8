import { request } from 'undici';
import { createEvitalrxAdapter, type EvitalrxConfig } from '../../../src/providers/evitalrx';
import { classifyEnvelope } from '../../../src/providers/evitalrx/classify';
import { ErrorType, type ProviderError } from '../../../src/contract';
import { EvitalrxSim } from '../../../src/providers/evitalrx/simulator';
import { itMapsTransportFaults, providerFailure, useSim } from '../../helpers/provider-sim';

const KEY = 'evk_S3cr3t-api-key-0042';
const sim = new EvitalrxSim({ apiKey: KEY });

useSim(sim, [
  { id: 'ORD-1', status: 'assigned' },
  { id: 'ORD-2', status: 'accepted' },
  { id: 'ORD-S', status: 'shipped' },
  { id: 'ORD-C', status: 'cancelled' },
]);

// A fresh adapter per test, so each test starts with an empty reason cache.
const adapter = (over: Partial<EvitalrxConfig> = {}) =>
  createEvitalrxAdapter({ baseUrl: base(), apiKey: KEY, timeoutMs: 2000, ...over });
const customer = { code: 'customer_request' } as const;
const base = () => `${sim.url}/v1/`;
const failure = (p: Promise<unknown>) => providerFailure(p, [KEY]);

const bodyOf = (route: string, i = 0) => JSON.parse(sim.requestsFor(route)[i].body) as Record<string, unknown>;

describe('eVitalRx cancel: request and success', () => {
  it('sends the documented cancel_order_v2 request and reports CANCELLED', async () => {
    const res = await adapter().cancel('ORD-1', { code: 'customer_request', note: 'patient changed their mind' });
    expect(res).toEqual({
      orderId: 'ORD-1',
      status: 'CANCELLED',
      providerMessage: 'Your order cancelled successfully.',
    });
    const [req] = sim.requestsFor('cancel', 'ORD-1');
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/fulfillment/orders/cancel_order_v2');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toBeUndefined();
    expect(JSON.parse(req.body)).toEqual({
      apikey: KEY,
      order_id: 'ORD-1',
      reason_id: 3, // "Customer requested cancellation", as a number
      reason: 'patient changed their mind',
    });
    expect(sim.orders.get('ORD-1')?.status).toBe('cancelled');
  });

  it('fetches reject reasons with apikey and reason_source, leaves out an absent note', async () => {
    await adapter().cancel('ORD-2', { code: 'inventory' });
    const [r] = sim.requestsFor('reject_reasons');
    expect(r.method).toBe('POST');
    expect(r.url).toBe('/v1/fulfillment/orders/reject_reasons');
    expect(JSON.parse(r.body)).toEqual({ apikey: KEY, reason_source: 'pickup' });
    expect(bodyOf('cancel')).toEqual({ apikey: KEY, order_id: 'ORD-2', reason_id: 1 });
  });

  it('accepts a base URL without trailing slash', async () => {
    await adapter({ baseUrl: `${sim.url}/v1` }).cancel('ORD-1', customer);
    expect(sim.requestsFor('cancel')[0].url).toBe('/v1/fulfillment/orders/cancel_order_v2');
  });

  it('sends the order id as given in the body', async () => {
    sim.seed([{ id: '../x?y#z é', status: 'assigned' }]);
    await adapter().cancel('../x?y#z é', customer);
    expect(sim.requestsFor('cancel')[0].url).toBe('/v1/fulfillment/orders/cancel_order_v2');
    expect(bodyOf('cancel').order_id).toBe('../x?y#z é');
  });

  it('form encoding: every call is application/x-www-form-urlencoded', async () => {
    const res = await adapter({ bodyEncoding: 'form' }).cancel('ORD-1', { code: 'duplicate', note: 'dup of ORD-2' });
    expect(res.status).toBe('CANCELLED');
    for (const route of ['reject_reasons', 'cancel']) {
      expect(sim.requestsFor(route)[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
    }
    const form = Object.fromEntries(new URLSearchParams(sim.requestsFor('cancel')[0].body));
    expect(form).toEqual({ apikey: KEY, order_id: 'ORD-1', reason_id: '4', reason: 'dup of ORD-2' });
  });
});

describe('eVitalRx reject reasons', () => {
  it('one reject_reasons request serves concurrent first calls and later cancels', async () => {
    sim.seed([3, 4, 5, 6].map((n) => ({ id: `ORD-${n}`, status: 'assigned' })));
    const a = adapter();
    await Promise.all(['ORD-1', 'ORD-2', 'ORD-3'].map((id) => a.cancel(id, customer)));
    await a.cancel('ORD-4', { code: 'fraud' });
    await a.lookup!('ORD-5');
    expect(sim.requestsFor('cancel')).toHaveLength(4);
    expect(sim.requestsFor('reject_reasons')).toHaveLength(1);
  });

  it('the list is fetched again once the TTL has passed', async () => {
    const a = adapter({ reasonCacheTtlMs: 0 });
    await a.cancel('ORD-1', customer);
    await a.cancel('ORD-2', customer);
    expect(sim.requestsFor('reject_reasons')).toHaveLength(2);
  });

  it('a failed fetch is not cached', async () => {
    sim.injectFault({ route: 'reject_reasons', status: 503 });
    const a = adapter();
    expect((await failure(a.cancel('ORD-1', customer))).type).toBe(ErrorType.Transient);
    expect(sim.requestsFor('cancel')).toHaveLength(0);
    expect((await a.cancel('ORD-1', customer)).status).toBe('CANCELLED');
    expect(sim.requestsFor('reject_reasons')).toHaveLength(2);
  });

  it('codes without a matching reason fall back to Other', async () => {
    await adapter().cancel('ORD-1', { code: 'fraud' });
    expect(bodyOf('cancel').reason_id).toBe(5);
    sim.requests.length = 0;
    // delivery has "Customer not reachable", which must not be taken for a customer request
    await adapter({ reasonSource: 'delivery' }).cancel('ORD-2', customer);
    expect(bodyOf('reject_reasons').reason_source).toBe('delivery');
    expect(bodyOf('cancel').reason_id).toBe(13);
  });

  it('cfg.reasonIds overrides the mapping and skips the fetch', async () => {
    await adapter({ reasonIds: { customer_request: 2 } }).cancel('ORD-1', customer);
    expect(sim.requestsFor('reject_reasons')).toHaveLength(0);
    expect(bodyOf('cancel').reason_id).toBe(2);
  });

  it('a list without Other and without a match is a ProviderResponseError', async () => {
    const body = JSON.stringify({
      status_code: '1',
      status_message: 'ok',
      data: { reasons: [{ id: 9, reason: 'Stock' }] },
    });
    sim.injectFault({ route: 'reject_reasons', status: 200, body });
    const err = await failure(adapter().cancel('ORD-1', { code: 'fraud' }));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toMatch(/no reject reason fits 'fraud'.*Other/);
  });
});

describe('eVitalRx refusals and lookup', () => {
  it('refused cancel of a shipped order: ProviderRejectedError naming the reason and status', async () => {
    const err = await failure(adapter().cancel('ORD-S', customer));
    expect(err.type).toBe(ErrorType.Rejected);
    expect(err.message).toContain('The order can not be cancelled after accepted status.');
    expect(err.message).toContain('order status: shipped');
    expect(err.retryable).toBe(false);
    expect(sim.requestsFor('lookup', 'ORD-S')).toHaveLength(1);
    expect(sim.orders.get('ORD-S')?.status).toBe('shipped');
  });

  it('refused cancel of an order the lookup shows cancelled: ALREADY_CANCELLED', async () => {
    const res = await adapter().cancel('ORD-C', customer);
    expect(res).toEqual({
      orderId: 'ORD-C',
      status: 'ALREADY_CANCELLED',
      providerMessage: 'Order is already cancelled.',
    });
    expect(sim.requestsFor('cancel', 'ORD-C')).toHaveLength(1);
    expect(sim.requestsFor('lookup', 'ORD-C')).toHaveLength(1);
    expect(JSON.parse(sim.requestsFor('lookup')[0].body)).toEqual({ apikey: KEY, order_id: 'ORD-C' });
  });

  it('repeating a successful cancel is ALREADY_CANCELLED', async () => {
    const a = adapter();
    expect((await a.cancel('ORD-1', customer)).status).toBe('CANCELLED');
    expect((await a.cancel('ORD-1', customer)).status).toBe('ALREADY_CANCELLED');
  });

  it('unknown order: the cancel refusal stands (No record found)', async () => {
    const err = await failure(adapter().cancel('NOPE', customer));
    expect(err.type).toBe(ErrorType.Rejected);
    expect(err.providerMessage).toBe('No record found');
    expect(err.message).toContain('cancel of order NOPE refused: No record found');
  });

  it('a transient failure of the confirming lookup is transient', async () => {
    sim.injectFault({ route: 'lookup', status: 503 });
    const err = await failure(adapter().cancel('ORD-C', customer));
    expect(err.type).toBe(ErrorType.Transient);
    expect(err.status).toBe(503);
  });

  it('lookup sends view_v2 and returns overall_status', async () => {
    expect(await adapter().lookup!('ORD-2')).toEqual({ orderId: 'ORD-2', status: 'accepted' });
    const [req] = sim.requestsFor('lookup', 'ORD-2');
    expect(req.url).toBe('/v1/fulfillment/orders/view_v2');
    expect(req.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req.body)).toEqual({ apikey: KEY, order_id: 'ORD-2' });
  });

  it('lookup of an unknown order: ProviderRejectedError', async () => {
    const err = await failure(adapter().lookup!('NOPE'));
    expect(err.type).toBe(ErrorType.Rejected);
    expect(err.message).toBe('evitalrx: lookup of order NOPE refused: No record found');
  });

  it('an empty order id is refused locally', async () => {
    const a = adapter();
    expect((await failure(a.cancel(' ', customer))).type).toBe(ErrorType.InvalidRequest);
    expect((await failure(a.lookup!(''))).type).toBe(ErrorType.InvalidRequest);
    expect(sim.requests).toHaveLength(0);
  });

  it('the simulator answers a missing order_id with the documented validation error', async () => {
    const res = await request(`${base()}fulfillment/orders/cancel_order_v2`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ apikey: KEY, reason_id: 5 }),
    });
    const text = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(text)).toMatchObject({ status_code: '0', status_message: 'order_id is required', data: null });
    const err = (() => {
      try {
        classifyEnvelope({ status: 200, headers: {}, text }, 'cancel', KEY);
      } catch (e) {
        return e as ProviderError;
      }
    })();
    expect(err?.type).toBe(ErrorType.Rejected);
    expect(err?.message).toBe('evitalrx: cancel refused: order_id is required');
  });
});

describe('eVitalRx errors', () => {
  const fixed = { reasonIds: { customer_request: 3 } };

  itMapsTransportFaults({
    provider: 'evitalrx',
    sim,
    cancel: (o) => adapter({ ...fixed, ...o }).cancel('ORD-1', customer),
    secrets: [KEY],
  });

  it('wrong api key ("404" Invalid API Key) is ProviderAuthError, on every endpoint', async () => {
    const a = adapter({ apiKey: 'wrong-key' });
    for (const p of [a.cancel('ORD-1', customer), a.lookup!('ORD-1')]) {
      const err = await failure(p);
      expect(err.type).toBe(ErrorType.Auth);
      expect(err.message).toMatch(/credentials refused: Invalid API Key/);
    }
    const direct = await failure(adapter({ ...fixed, apiKey: 'wrong-key' }).cancel('ORD-1', customer));
    expect(direct.type).toBe(ErrorType.Auth);
    expect(sim.requestsFor('lookup')).toHaveLength(1); // only the explicit lookup: auth errors are not "refusals"
  });

  it.each([401, 403])('HTTP %i is ProviderAuthError', async (status) => {
    sim.injectFault({ route: 'cancel', status });
    const err = await failure(adapter(fixed).cancel('ORD-1', customer));
    expect(err.type).toBe(ErrorType.Auth);
    expect(err.status).toBe(status);
  });

  it('429 with Retry-After is transient with retryAfterMs', async () => {
    sim.injectFault({ route: 'cancel', status: 429, retryAfter: '7', body: '{"message":"Too Many Requests"}' });
    const err = await failure(adapter(fixed).cancel('ORD-1', customer));
    expect(err.type).toBe(ErrorType.Transient);
    expect(err.retryAfterMs).toBe(7000);
    expect(err.message).toBe('evitalrx: HTTP 429: Too Many Requests');
  });

  it('5xx is transient and retryable', async () => {
    sim.injectFault({ route: 'cancel', status: 500 });
    const err = await failure(adapter(fixed).cancel('ORD-1', customer));
    expect(err.type).toBe(ErrorType.Transient);
    expect(err.status).toBe(500);
    expect(err.retryable).toBe(true);
  });

  it.each([
    ['wrong type', '{"status_code":true,"data":null}', /unexpected answer shape \(status_code: /],
    ['unknown code', '{"status_code":"7","status_message":"?","data":null}', /unknown status_code "7"/],
  ])('a JSON answer off the documented shape (%s) is ProviderResponseError', async (_, body, msg) => {
    sim.injectFault({ route: 'cancel', status: 200, body });
    const err = await failure(adapter(fixed).cancel('ORD-1', customer));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toMatch(msg);
  });

  it('a lookup without data.overall_status is ProviderResponseError', async () => {
    sim.injectFault({ route: 'lookup', status: 200, body: '{"status_code":"1","data":{"status":"x"}}' });
    const err = await failure(adapter().lookup!('ORD-1'));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toMatch(/unexpected data shape \(overall_status: /);
  });

  it('an unexpected HTTP status is ProviderResponseError', async () => {
    sim.injectFault({ route: 'cancel', status: 404, body: '{"message":"Not Found"}' });
    const err = await failure(adapter(fixed).cancel('ORD-1', customer));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toBe('evitalrx: cancel of order ORD-1: unexpected HTTP 404');
  });

  it('the api key appears in no error, even when the provider echoes it', async () => {
    const echo = JSON.stringify({ status_code: '0', status_message: `key ${KEY} is disabled`, data: null });
    const cases: [Partial<EvitalrxConfig>, () => void][] = [
      [fixed, () => sim.injectFault({ route: 'cancel', status: 200, body: echo })],
      [fixed, () => sim.injectFault({ route: 'cancel', status: 503, body: JSON.stringify({ message: KEY }) })],
      [fixed, () => sim.injectFault({ route: 'cancel', malformed: true })],
      [{ ...fixed, timeoutMs: 300 }, () => sim.injectFault({ route: 'cancel', hang: true })],
      [{}, () => sim.injectFault({ route: 'reject_reasons', status: 429, body: JSON.stringify({ message: KEY }) })],
      [{ apiKey: `${KEY}-x` }, () => undefined],
    ];
    for (const [over, arrange] of cases) {
      sim.clearFaults();
      arrange();
      const err = await failure(adapter(over).cancel('ORD-S', customer));
      for (const text of [err.message, JSON.stringify(err), String(err.stack), String(err.providerMessage)]) {
        expect(text).not.toContain(KEY);
      }
    }
  });
});
