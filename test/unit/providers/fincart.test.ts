import { createFincartAdapter, type FincartConfig } from '../../../src/providers/fincart';
import { ErrorType } from '../../../src/contract';
import { FincartSim } from '../../../src/providers/fincart/simulator';
import { itMapsTransportFaults, providerFailure, useSim } from '../../helpers/provider-sim';

const TOKEN = 'fc_tok_S3cr3t-merchant-0042';
const sim = new FincartSim({ token: TOKEN });
const reason = { code: 'customer_request' } as const;

useSim(sim, [
  { id: 'FC-1', status: 'pending' },
  { id: 'FC-2', status: 'pending' },
  { id: 'FC-3', status: 'pending' },
  { id: 'FC-P', status: 'processing' },
  { id: 'FC-C', status: 'cancelled' },
]);

const adapter = (over: Partial<FincartConfig> = {}) =>
  createFincartAdapter({ baseUrl: sim.url, token: TOKEN, timeoutMs: 2000, ...over });
const failure = (p: Promise<unknown>) => providerFailure(p, [TOKEN]);
const statuses = () => Object.fromEntries([...sim.orders.values()].map((o) => [o.id, o.status]));

describe('Fincart bulk cancel: request and success', () => {
  it('sends the documented request and reports every id CANCELLED', async () => {
    const res = await adapter().cancelMany(['FC-1', 'FC-2'], reason);
    const msg = 'Orders have been successfully canceled.';
    expect(res).toEqual([
      { orderId: 'FC-1', status: 'CANCELLED', providerMessage: msg },
      { orderId: 'FC-2', status: 'CANCELLED', providerMessage: msg },
    ]);
    expect(sim.requests).toHaveLength(1);
    const [req] = sim.requests;
    expect(req.route).toBe('cancel');
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v4/orders/cancel');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers.authorization).toBe(TOKEN); // raw token, no "Bearer"
    expect(req.body).toBe('{"filters":{"ids":["FC-1","FC-2"]}}');
    expect(req.orderIds).toEqual(['FC-1', 'FC-2']);
    expect(sim.requestsFor('cancel', 'FC-2')).toHaveLength(1);
    expect(statuses()).toMatchObject({ 'FC-1': 'cancelled', 'FC-2': 'cancelled', 'FC-3': 'pending' });
  });

  it('cancel(id) is a batch of one', async () => {
    expect(await adapter().cancel('FC-3', reason)).toMatchObject({ orderId: 'FC-3', status: 'CANCELLED' });
    expect(JSON.parse(sim.requests[0].body)).toEqual({ filters: { ids: ['FC-3'] } });
  });

  it('a base URL with a trailing slash or a path prefix', async () => {
    await adapter({ baseUrl: `${sim.url}/` }).cancel('FC-1', reason);
    await adapter({ baseUrl: `${sim.url}/merchant` }).cancel('FC-2', reason);
    expect(sim.requests.map((r) => r.url)).toEqual(['/v4/orders/cancel', '/merchant/v4/orders/cancel']);
  });

  it('ids are sent as given and duplicates once', async () => {
    const odd = '../x?y#z "é"';
    sim.seed([{ id: odd, status: 'pending' }]);
    const res = await adapter().cancelMany([odd, 'FC-1', odd], reason);
    expect(res.map((r) => r.orderId)).toEqual([odd, 'FC-1']);
    expect(sim.requests[0].url).toBe('/v4/orders/cancel');
    expect(JSON.parse(sim.requests[0].body)).toEqual({ filters: { ids: [odd, 'FC-1'] } });
  });
});

describe('Fincart refusals', () => {
  it('one non-pending id refuses the whole batch and nothing changes', async () => {
    const before = statuses();
    const err = await failure(adapter().cancelMany(['FC-1', 'FC-P', 'FC-2'], reason));
    expect(err.type).toBe(ErrorType.Rejected);
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      'fincart: cancel of 3 order(s) refused (HTTP 400): Orders could not be cancelled (Only pending orders can be cancelled)',
    );
    expect(statuses()).toEqual(before);
    expect(sim.requestsFor('cancel', 'FC-P')).toHaveLength(1);
  });

  it('an unknown id refuses the batch', async () => {
    const err = await failure(adapter().cancelMany(['FC-1', 'NOPE'], reason));
    expect(err.type).toBe(ErrorType.Rejected);
    expect(err.providerMessage).toBe('Orders could not be cancelled (Only pending orders can be cancelled)');
    expect(statuses()['FC-1']).toBe('pending');
  });

  it('an already cancelled order is refused too (no lookup exists to tell it apart)', async () => {
    const err = await failure(adapter().cancel('FC-C', reason));
    expect(err.type).toBe(ErrorType.Rejected);
    expect(err.message).toMatch(/refused \(HTTP 400\): .*Only pending orders can be cancelled/);
  });

  it('a 200 whose data.status is not success is never taken for success', async () => {
    const body = '{"statusCode":200,"message":"done","data":{"status":"failed","msg":"Nothing cancelled"}}';
    sim.injectFault({ route: 'cancel', status: 200, body });
    const err = await failure(adapter().cancel('FC-1', reason));
    expect(err.type).toBe(ErrorType.Rejected);
    expect(err.message).toBe('fincart: cancel of 1 order(s) not confirmed (data.status "failed": Nothing cancelled)');
  });

  it.each([
    ['no ids', [], /at least one order id/],
    ['an empty id', ['FC-1', ''], /non-empty string/],
    ['more than the default 100', Array.from({ length: 101 }, (_, i) => `X-${i}`), /at most 100 order ids, got 101/],
  ])('refuses %s locally with InvalidRequestError', async (_, ids, msg) => {
    const err = await failure(adapter().cancelMany(ids as string[], reason));
    expect(err.type).toBe(ErrorType.InvalidRequest);
    expect(err.message).toMatch(msg);
    expect(sim.requests).toHaveLength(0);
  });

  it('the batch limit is configurable', async () => {
    const err = await failure(adapter({ maxBatchSize: 2 }).cancelMany(['FC-1', 'FC-2', 'FC-3'], reason));
    expect(err.type).toBe(ErrorType.InvalidRequest);
    expect((await adapter({ maxBatchSize: 2 }).cancelMany(['FC-1', 'FC-2'], reason)).length).toBe(2);
  });
});

describe('Fincart errors', () => {
  it.each([
    ['a wrong token', `${TOKEN}-x`],
    ['a Bearer token', `Bearer ${TOKEN}`],
  ])('403 "User is not authorized" for %s is ProviderAuthError', async (_, token) => {
    const err = await failure(adapter({ token }).cancel('FC-1', reason));
    expect(err.type).toBe(ErrorType.Auth);
    expect(err.status).toBe(403);
    expect(err.message).toBe('fincart: credentials refused (HTTP 403): User is not authorized');
    expect(statuses()['FC-1']).toBe('pending');
  });

  it('401 is ProviderAuthError', async () => {
    sim.injectFault({ route: 'cancel', status: 401 });
    expect((await failure(adapter().cancel('FC-1', reason))).type).toBe(ErrorType.Auth);
  });

  it('429 with Retry-After is transient with retryAfterMs', async () => {
    const body = '{"statusCode":429,"message":"ThrottlerException: Too Many Requests"}';
    sim.injectFault({ route: 'cancel', status: 429, retryAfter: '3', body });
    const err = await failure(adapter().cancelMany(['FC-1', 'FC-2'], reason));
    expect(err.type).toBe(ErrorType.Transient);
    expect(err.retryAfterMs).toBe(3000);
    expect(err.message).toBe('fincart: HTTP 429: ThrottlerException: Too Many Requests');
  });

  it('5xx is transient', async () => {
    sim.injectFault({ orderId: 'FC-2', status: 503 });
    const err = await failure(adapter().cancelMany(['FC-1', 'FC-2'], reason));
    expect(err.type).toBe(ErrorType.Transient);
    expect(err.status).toBe(503);
    expect(err.retryable).toBe(true);
  });

  it.each([
    [200, '{"statusCode":200,"message":"ok"}', 'fincart: cancel of 1 order(s): unexpected answer shape'],
    [400, '<html>Bad Request</html>', 'fincart: cancel of 1 order(s): unexpected HTTP 400, answer is not JSON'],
    [302, '', 'fincart: cancel of 1 order(s): unexpected HTTP 302, answer is not JSON'],
  ])('HTTP %i with an undocumented body is ProviderResponseError', async (status, body, msg) => {
    sim.injectFault({ route: 'cancel', status, body });
    const err = await failure(adapter().cancel('FC-1', reason));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toBe(msg);
  });

  it('the token appears in no error, even when the provider echoes it', async () => {
    const echo = (status: number) => JSON.stringify({ statusCode: status, message: `token ${TOKEN}`, errors: [TOKEN] });
    const cases: [Partial<FincartConfig>, () => void][] = [
      [{}, () => sim.injectFault({ route: 'cancel', status: 400, body: echo(400) })],
      [{}, () => sim.injectFault({ route: 'cancel', status: 403, body: echo(403) })],
      [{}, () => sim.injectFault({ route: 'cancel', status: 503, body: echo(503) })],
      [{}, () => sim.injectFault({ route: 'cancel', malformed: true })],
      [{ timeoutMs: 300 }, () => sim.injectFault({ route: 'cancel', hang: true })],
      [{ token: `Bearer ${TOKEN}` }, () => undefined],
      [{}, () => undefined], // FC-P is not pending: the real refusal
    ];
    for (const [over, arrange] of cases) {
      sim.clearFaults();
      arrange();
      const err = await failure(adapter(over).cancel('FC-P', reason));
      for (const text of [err.message, JSON.stringify(err), String(err.stack), String(err.providerMessage)]) {
        expect(text).not.toContain(TOKEN);
      }
    }
  });
});

describe('Fincart transport faults', () => {
  itMapsTransportFaults({
    provider: 'fincart',
    sim,
    cancel: (o) => adapter(o).cancel('FC-1', reason),
    secrets: [TOKEN],
  });
});

describe('Fincart order logs: read-back evidence for a lost answer', () => {
  it('sends the documented GET and reads the newest entry as the status', async () => {
    const seen = await adapter().readBack?.('FC-C');
    expect(seen).toEqual({ orderId: 'FC-C', status: 'cancelled' });
    const [req] = sim.requests;
    expect(req).toMatchObject({ method: 'GET', url: '/v4/orders/FC-C/logs', route: 'logs', body: '' });
    expect(req.headers.authorization).toBe(TOKEN);
    expect(await adapter().readBack?.('FC-1')).toEqual({ orderId: 'FC-1', status: 'pending' });
  });

  it('an id cannot change the target: it is one percent-encoded path segment', async () => {
    const odd = '../x?y#z';
    sim.seed([{ id: odd, status: 'processing' }]);
    expect(await adapter().readBack?.(odd)).toEqual({ orderId: odd, status: 'processing' });
    expect(sim.requests[0].url).toBe(`/v4/orders/${encodeURIComponent(odd)}/logs`);
  });

  it('a cancel whose answer was lost shows up as cancelled in the logs', async () => {
    sim.injectFault({ route: 'cancel', lostAnswer: true });
    const lost = await failure(adapter({ timeoutMs: 300 }).cancel('FC-2', reason));
    expect(lost.type).toBe(ErrorType.Transient);
    expect(await adapter().readBack?.('FC-2')).toEqual({ orderId: 'FC-2', status: 'cancelled' });
  });

  it('unknown order → rejected; bad token → auth; entries out of order are sorted by time', async () => {
    expect((await failure(adapter().readBack!('FC-none'))).type).toBe(ErrorType.Rejected);
    expect((await failure(adapter({ token: 'wrong' }).readBack!('FC-1'))).type).toBe(ErrorType.Auth);
    const body = JSON.stringify({
      statusCode: 200,
      data: {
        logs: [
          { title: 'Pending', description: 'New', createdAt: '2025-07-02T09:41:34.331Z', by: 'Merchant' },
          { title: 'Cancelled', description: 'Cancelled', createdAt: '2025-07-02T09:50:00.000Z', by: 'Merchant' },
        ],
      },
    });
    sim.injectFault({ route: 'logs', status: 200, body });
    expect(await adapter().readBack?.('FC-1')).toEqual({ orderId: 'FC-1', status: 'cancelled' });
    sim.injectFault({ route: 'logs', status: 200, body: '{"statusCode":200,"data":{"logs":[]}}' });
    expect((await failure(adapter().readBack!('FC-1'))).type).toBe(ErrorType.Response);
  });
});
