import { ErrorType } from '../../../src/contract';
import { createFungiesAdapter, type FungiesConfig } from '../../../src/providers/fungies';
import { send } from '../../../src/providers/http';
import type { ProviderAdapter } from '../../../src/providers/types';
import { FungiesSim } from '../../../src/providers/fungies/simulator';
import { itMapsTransportFaults, providerFailure, useSim } from '../../helpers/provider-sim';

const PUB = 'pub_3f9a1c7e5b2d4e6f8a0b';
const SEC = 'sec_7c2e9d4a1f6b3e8d5c0a';
const ID = '3c90c3cc-0d44-4b50-8888-8dd25736052a';
const REASON = { code: 'customer_request' } as const;
const sim = new FungiesSim({ publicKey: PUB, secretKey: SEC });

const failure = (p: Promise<unknown>) => providerFailure(p, [PUB, SEC]);

function adapter(over: Partial<FungiesConfig> = {}): Required<ProviderAdapter> {
  const cfg = { baseUrl: sim.url, publicKey: PUB, secretKey: SEC, timeoutMs: 2000, ...over };
  return createFungiesAdapter(cfg) as Required<ProviderAdapter>;
}

useSim(sim, [{ id: ID, status: 'PAID' }]);

describe('fungies cancel', () => {
  it('sends PATCH /v0/orders/{id}/cancel with both keys and body {}, and maps 200 to CANCELLED', async () => {
    await expect(adapter().cancel(ID, REASON)).resolves.toEqual({ orderId: ID, status: 'CANCELLED' });
    expect(sim.requests).toHaveLength(1);
    const [req] = sim.requests;
    expect(req).toMatchObject({ method: 'PATCH', url: `/v0/orders/${ID}/cancel`, route: 'cancel', body: '{}' });
    expect(req.headers['x-fngs-public-key']).toBe(PUB);
    expect(req.headers['x-fngs-secret-key']).toBe(SEC);
    expect(req.headers['content-type']).toBe('application/json');
    expect(sim.orders.get(ID)?.status).toBe('CANCELLED');
  });

  it.each(['PENDING', 'UNPAID'])('cancels an order in %s', async (status) => {
    sim.seed([{ id: ID, status }]);
    await expect(adapter().cancel(ID, REASON)).resolves.toMatchObject({ status: 'CANCELLED' });
  });

  it.each(['FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED', 'EXPIRED'])(
    'maps the 400 for %s to ProviderRejectedError',
    async (status) => {
      sim.seed([{ id: ID, status }]);
      const err = await failure(adapter().cancel(ID, REASON));
      expect(err).toMatchObject({ type: ErrorType.Rejected, status: 400 });
      expect(err.message).toContain(`Order with status ${status} cannot be cancelled`);
      expect(sim.requests.map((r) => r.route)).toEqual(['cancel', 'lookup']);
    },
  );

  it('treats a repeat cancel (400, then lookup says CANCELLED) as ALREADY_CANCELLED', async () => {
    await adapter().cancel(ID, REASON);
    const again = await adapter().cancel(ID, REASON);
    expect(again).toEqual({
      orderId: ID,
      status: 'ALREADY_CANCELLED',
      providerMessage: 'Order with status CANCELLED cannot be cancelled',
    });
  });

  it('never takes an error body with HTTP 200 for success', async () => {
    sim.seed([{ id: ID, status: 'EXPIRED' }]);
    sim.errorsWithStatus200 = true;
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Rejected, status: 200 });
    expect(err.message).toContain('error body with HTTP 200');
    expect(err.message).toContain('EXPIRED cannot be cancelled');
    expect(sim.orders.get(ID)?.status).toBe('EXPIRED');
  });

  it('still recognises an already-cancelled order when errors come with HTTP 200', async () => {
    sim.seed([{ id: ID, status: 'CANCELLED' }]);
    sim.errorsWithStatus200 = true;
    await expect(adapter().cancel(ID, REASON)).resolves.toMatchObject({ status: 'ALREADY_CANCELLED' });
  });

  it('maps a success envelope that does not show CANCELLED to ProviderResponseError', async () => {
    const body = { status: 'success', data: { order: { id: ID, status: 'PENDING' } } };
    sim.injectFault({ route: 'cancel', status: 200, body: JSON.stringify(body) });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toContain('"PENDING"');
  });

  it('maps an unknown order to ProviderRejectedError without a lookup', async () => {
    const err = await failure(adapter().cancel('no-such-order', REASON));
    expect(err).toMatchObject({ type: ErrorType.Rejected, status: 404 });
    expect(err.message).toContain('Order not found');
    expect(sim.requests.map((r) => r.route)).toEqual(['cancel']);
  });

  it('maps a bad public key to 401 ProviderAuthError', async () => {
    const err = await failure(adapter({ publicKey: 'pub_wrong' }).cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Auth, status: 401 });
    expect(err.message).toContain('Invalid API key');
  });

  it('maps a missing write permission to 403 ProviderAuthError', async () => {
    const body = JSON.stringify({ status: 'error', error: { message: `key ${PUB} lacks write; secret ${SEC}` } });
    sim.injectFault({ route: 'cancel', status: 403, body });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Auth, status: 403 });
    expect(err.message).toContain('key [redacted] lacks write; secret [redacted]');
  });

  it('maps 429 with Retry-After to ProviderTransientError with retryAfterMs', async () => {
    sim.injectFault({ route: 'cancel', status: 429, retryAfter: '12' });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Transient, status: 429, retryAfterMs: 12000, retryable: true });
  });

  it('maps 5xx to ProviderTransientError', async () => {
    sim.injectFault({ route: 'cancel', status: 503 });
    expect((await failure(adapter().cancel(ID, REASON))).type).toBe(ErrorType.Transient);
  });

  it('keeps a path-traversal id inside its path segment', async () => {
    const evil = '../admin?x=1#y';
    sim.seed([{ id: evil, status: 'PENDING' }]);
    await expect(adapter().cancel(evil, REASON)).resolves.toMatchObject({ orderId: evil, status: 'CANCELLED' });
    expect(sim.requestsFor('cancel', evil)).toHaveLength(1);
    expect(sim.requests.filter((r) => r.route !== 'cancel')).toEqual([]);
    expect(sim.requests[0].url).toBe('/v0/orders/..%2Fadmin%3Fx%3D1%23y/cancel');
  });
});

describe('fungies transport faults', () => {
  itMapsTransportFaults({
    provider: 'fungies',
    sim,
    cancel: (o) => adapter(o).cancel(ID, REASON),
    secrets: [PUB, SEC],
  });
});

describe('fungies lookup', () => {
  it('sends GET /v0/orders/{id} with the public key only', async () => {
    await expect(adapter().lookup(ID)).resolves.toEqual({ orderId: ID, status: 'PAID', paid: true });
    const [req] = sim.requests;
    expect(req).toMatchObject({ method: 'GET', url: `/v0/orders/${ID}`, route: 'lookup', body: '' });
    expect(req.headers['x-fngs-public-key']).toBe(PUB);
    expect(req.headers['x-fngs-secret-key']).toBeUndefined();
    expect(JSON.stringify(req.headers)).not.toContain(SEC);
  });

  it.each([
    ['PARTIALLY_REFUNDED', true],
    ['PENDING', false],
    ['UNPAID', false],
    ['REFUNDED', false],
    ['CANCELLED', undefined],
  ])('reports %s with paid=%s', async (status, paid) => {
    sim.seed([{ id: ID, status }]);
    await expect(adapter().lookup(ID)).resolves.toEqual({ orderId: ID, status, paid });
  });

  it('maps errors (404, error at 200, bad key) to typed errors', async () => {
    expect((await failure(adapter().lookup('nope'))).type).toBe(ErrorType.Rejected);
    sim.errorsWithStatus200 = true;
    const err = await failure(adapter().lookup('nope'));
    expect(err).toMatchObject({ type: ErrorType.Rejected, status: 200 });
    sim.errorsWithStatus200 = false;
    expect((await failure(adapter({ publicKey: 'pub_bad' }).lookup(ID))).type).toBe(ErrorType.Auth);
  });
});

describe('fungies config', () => {
  it('refuses empty keys without echoing them', () => {
    expect(() => createFungiesAdapter({ baseUrl: 'http://x', publicKey: PUB, secretKey: '' })).toThrow(
      /^fungies: secretKey must be non-empty/,
    );
  });
});

describe('fungies simulator', () => {
  it('answers a write without the secret key with 403 and leaves the order alone', async () => {
    const url = `${sim.url}/v0/orders/${ID}/cancel`;
    const headers = { 'x-fngs-public-key': PUB, 'content-type': 'application/json' };
    const res = await send('fungies', { method: 'PATCH', url, headers, body: '{}' });
    expect(res.status).toBe(403);
    expect(JSON.parse(res.text)).toEqual({ status: 'error', error: { message: expect.stringContaining('write') } });
    expect(sim.orders.get(ID)?.status).toBe('PAID');
  });
});
