import fs from 'node:fs';
import path from 'node:path';
import { ErrorType } from '../../../src/contract';
import { send } from '../../../src/providers/http';
import { REASON_CODES, type ReasonCode } from '../../../src/contract/providers';
import { createShopifyAdapter, plugin, type CancelPending, type ShopifyConfig } from '../../../src/providers/shopify';
import { cancelMutation, JOB_QUERY, LOOKUP_QUERY } from '../../../src/providers/shopify/request';
import { ShopifySim, type ShopifySimOrder } from '../../../src/providers/shopify/simulator';
import { MAX_THROTTLE_WAIT_MS, MIN_THROTTLE_WAIT_MS, throttleDelayMs } from '../../../src/providers/shopify/throttle';
import { expectNoSecret, itMapsTransportFaults, providerFailure, useSim } from '../../helpers/provider-sim';

const TOKEN = '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';
const ID = '450789469';
const GID = `gid://shopify/Order/${ID}`;
const REASON = { code: 'customer_request' } as const;
const PATH = '/admin/api/2026-10/graphql.json';
const sim = new ShopifySim(TOKEN);

const failure = (p: Promise<unknown>) => providerFailure(p, [TOKEN]);
const adapter = (over: Partial<ShopifyConfig> = {}) =>
  createShopifyAdapter({ baseUrl: sim.url, accessToken: TOKEN, timeoutMs: 2000, ...over });
const bodyOf = (i: number) => JSON.parse(sim.requests[i].body) as { query: string; variables: Record<string, unknown> };

const order: ShopifySimOrder = { id: ID, status: 'UNFULFILLED', paid: true };
useSim(sim, [order]);

/** Start a cancel that must answer PENDING. */
async function start(a = adapter()): Promise<CancelPending> {
  const pending = await a.startCancel(ID, REASON);
  if (pending.status !== 'PENDING') throw new Error(`expected PENDING, got ${pending.status}`);
  return pending;
}

/** Poll until the job is no longer PENDING; returns every poll's answer. */
async function pollUntilDone(pending: CancelPending, a = adapter()) {
  const polls = [await a.pollCancel(pending)];
  while (polls[polls.length - 1].status === 'PENDING') polls.push(await a.pollCancel(pending));
  return polls;
}

describe('shopify cancel', () => {
  it('sends the documented orderCancel mutation and answers PENDING with the job id', async () => {
    const res = await adapter().startCancel(ID, { code: 'fraud', note: 'chargeback risk' });
    expect(res).toEqual({
      orderId: ID,
      status: 'PENDING',
      jobId: expect.stringMatching(/^gid:\/\/shopify\/Job\/[0-9a-f-]{36}$/),
    });
    expect(sim.requests).toHaveLength(1);
    const [req] = sim.requests;
    expect(req).toMatchObject({ method: 'POST', url: PATH, route: 'cancel', orderIds: [ID, GID] });
    expect(req.headers['x-shopify-access-token']).toBe(TOKEN);
    expect(req.headers['content-type']).toBe('application/json');
    expect(bodyOf(0)).toEqual({
      query: cancelMutation('2026-10'),
      variables: {
        orderId: GID,
        reason: 'FRAUD',
        refundMethod: { originalPaymentMethodsRefund: false },
        restock: false,
        notifyCustomer: false,
        staffNote: 'chargeback risk',
      },
    });
    expect(bodyOf(0).query).toContain('orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod');
    expect(sim.orders.get(ID)?.status).toBe('UNFULFILLED');
  });

  it.each(REASON_CODES.map((c) => [c]))('maps reason %s onto OrderCancelReason', async (code: ReasonCode) => {
    const expected: Record<ReasonCode, string> = {
      customer_request: 'CUSTOMER',
      fraud: 'FRAUD',
      inventory: 'INVENTORY',
      payment_declined: 'DECLINED',
      staff: 'STAFF',
      duplicate: 'OTHER',
      other: 'OTHER',
    };
    await adapter().startCancel(ID, { code });
    expect(bodyOf(0).variables.reason).toBe(expected[code]);
    expect(bodyOf(0).variables.staffNote).toBe(code === 'duplicate' ? 'Duplicate order' : undefined);
  });

  it('lets Shopify refund, restock and notify when configured so', async () => {
    await adapter({ refundsBy: 'shopify', notifyCustomer: true }).startCancel(ID, REASON);
    expect(bodyOf(0).variables).toMatchObject({
      refundMethod: { originalPaymentMethodsRefund: true },
      restock: true,
      notifyCustomer: true,
    });
  });

  it('sends the pre-2025-07 `refund: Boolean!` to an older API version', async () => {
    await expect(adapter({ apiVersion: '2025-04' }).startCancel(ID, REASON)).resolves.toMatchObject({
      status: 'PENDING',
    });
    expect(sim.requests[0].url).toBe('/admin/api/2025-04/graphql.json');
    expect(bodyOf(0).query).toContain('$refund: Boolean!');
    expect(bodyOf(0).variables).toMatchObject({ refund: false, restock: false });
    expect(bodyOf(0).variables).not.toHaveProperty('refundMethod');
  });

  it('treats a user error on an order that is already cancelled as ALREADY_CANCELLED (checked by lookup)', async () => {
    sim.seed([{ ...order, status: 'CANCELLED' }]);
    await expect(adapter().cancel(ID, REASON)).resolves.toEqual({
      orderId: ID,
      status: 'ALREADY_CANCELLED',
      providerMessage: 'Order has already been cancelled',
    });
    expect(sim.requests.map((r) => r.route)).toEqual(['cancel', 'lookup']);
  });

  it('maps a user error on an order that cannot be cancelled to ProviderRejectedError', async () => {
    sim.seed([{ ...order, status: 'FULFILLED' }]);
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Rejected, status: 200 });
    expect(err.message).toBe(
      `shopify: cancel order ${ID}: refused (INVALID): Order with fulfillment status FULFILLED cannot be cancelled`,
    );
    expect(sim.requests.map((r) => r.route)).toEqual(['cancel', 'lookup']);
  });

  it('maps NOT_FOUND to ProviderRejectedError without a lookup', async () => {
    const err = await failure(adapter().cancel('999', REASON));
    expect(err).toMatchObject({ type: ErrorType.Rejected, providerMessage: 'Order does not exist' });
    expect(sim.requests.map((r) => r.route)).toEqual(['cancel']);
  });

  it.each([
    ['NO_REFUND_PERMISSION', ErrorType.Auth],
    ['INTERNAL_ERROR', ErrorType.Transient],
  ])('maps the user error %s to %s', async (code, type) => {
    const body = {
      data: { orderCancel: { job: null, orderCancelUserErrors: [{ code, field: null, message: 'no' }] } },
    };
    sim.injectFault({ route: 'cancel', status: 200, body: JSON.stringify(body) });
    expect((await failure(adapter().cancel(ID, REASON))).type).toBe(type);
    expect(sim.requests.map((r) => r.route)).toEqual(['cancel']);
  });

  it('maps a payload with neither job nor user errors to ProviderResponseError', async () => {
    const body = { data: { orderCancel: { job: null, orderCancelUserErrors: [] } } };
    sim.injectFault({ route: 'cancel', status: 200, body: JSON.stringify(body) });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toContain('neither a job nor user errors');
  });

  it('maps data of another shape to ProviderResponseError', async () => {
    sim.injectFault({ route: 'cancel', status: 200, body: JSON.stringify({ data: { orderCancel: { job: 'x' } } }) });
    expect((await failure(adapter().cancel(ID, REASON))).type).toBe(ErrorType.Response);
  });

  it('takes a payload with a job as the answer even when top-level errors come along', async () => {
    const job = { id: 'gid://shopify/Job/abc-1', done: false };
    const body = { data: { orderCancel: { job, orderCancelUserErrors: [] } }, errors: [{ message: 'field warning' }] };
    sim.injectFault({ route: 'cancel', status: 200, body: JSON.stringify(body) });
    await expect(adapter().startCancel(ID, REASON)).resolves.toEqual({ orderId: ID, status: 'PENDING', jobId: job.id });
  });
});

describe('shopify cancel job', () => {
  it('polls job(id:) until done, then reads the order through Job.query: CANCELLED', async () => {
    sim.jobPolls = 2;
    const pending = await start();
    expect(sim.orders.get(ID)?.status).toBe('UNFULFILLED');
    await expect(pollUntilDone(pending)).resolves.toEqual([pending, pending, { orderId: ID, status: 'CANCELLED' }]);
    expect(sim.requestsFor('job', ID)).toHaveLength(3);
    expect(bodyOf(1)).toEqual({ query: JOB_QUERY, variables: { id: pending.jobId, orderId: GID } });
    expect(sim.requests[1]).toMatchObject({ method: 'POST', url: PATH });
    expect(sim.requests[1].headers['x-shopify-access-token']).toBe(TOKEN);
    expect(sim.orders.get(ID)?.status).toBe('CANCELLED');
  });

  it('waits for the job delay as well as the polls', async () => {
    sim.jobPolls = 0;
    sim.jobDelayMs = 80;
    const t0 = Date.now();
    const polls = await pollUntilDone(await start());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(80);
    expect(polls.length).toBeGreaterThan(1);
    expect(polls.slice(0, -1).every((p) => p.status === 'PENDING')).toBe(true);
    expect(polls[polls.length - 1]).toEqual({ orderId: ID, status: 'CANCELLED' });
  });

  it('runs a job on its own: once its delay is over, a lookup sees the order cancelled without any poll', async () => {
    sim.jobPolls = 0;
    sim.seed([{ ...order, jobDelayMs: 60_000 } as ShopifySimOrder]);
    const pending = await start();
    await expect(adapter().lookup(ID)).resolves.toMatchObject({ status: 'UNFULFILLED' });
    const job = sim.jobs.get(pending.jobId);
    if (!job) throw new Error('the simulator lost the job');
    job.readyAt = Date.now(); // the delay is over
    await expect(adapter().lookup(ID)).resolves.toMatchObject({ status: 'CANCELLED' });
    expect(sim.requestsFor('job')).toEqual([]);
  });

  it('throws ProviderRejectedError when the job finishes without cancelling the order', async () => {
    sim.seed([{ ...order, jobFails: true } as ShopifySimOrder]);
    const pending = await start();
    expect(await adapter().pollCancel(pending)).toEqual(pending);
    const err = await failure(adapter().pollCancel(pending));
    expect(err).toMatchObject({ type: ErrorType.Rejected, status: 200 });
    expect(err.message).toBe(
      `shopify: cancel order ${ID}: job ${pending.jobId} finished but the order is not cancelled`,
    );
    expect(sim.orders.get(ID)?.status).toBe('UNFULFILLED');
  });

  it('decides an unknown job by the order itself', async () => {
    const pending: CancelPending = { orderId: ID, status: 'PENDING', jobId: 'gid://shopify/Job/0000-1' };
    const err = await failure(adapter().pollCancel(pending));
    expect(err.message).toBe(
      `shopify: cancel order ${ID}: job ${pending.jobId} is unknown to Shopify and the order is UNFULFILLED`,
    );
    sim.seed([{ ...order, status: 'CANCELLED' }]);
    await expect(adapter().pollCancel(pending)).resolves.toEqual({ orderId: ID, status: 'CANCELLED' });
    expect(sim.requests.map((r) => r.route)).toEqual(['job', 'lookup', 'job', 'lookup']);
  });

  it('answers a repeat while the job runs with the same job (no second job)', async () => {
    const first = await start();
    await expect(adapter().startCancel(ID, REASON)).resolves.toEqual(first);
    expect(sim.jobs.size).toBe(1);
  });

  it('refuses a job id that is not a Shopify job gid before any request', async () => {
    const pending: CancelPending = { orderId: ID, status: 'PENDING', jobId: 'gid://shopify/Job/../../x' };
    const err = await failure(adapter().pollCancel(pending));
    expect(err.type).toBe(ErrorType.InvalidRequest);
    expect(sim.requests).toEqual([]);
  });
});

describe('shopify cancel (the synchronous fallback)', () => {
  it('starts the cancel and polls the job for a few seconds at most: CANCELLED', async () => {
    sim.jobPolls = 2;
    await expect(adapter({ syncPollMs: 10 }).cancel(ID, REASON)).resolves.toEqual({ orderId: ID, status: 'CANCELLED' });
    expect(sim.requests.map((r) => r.route)).toEqual(['cancel', 'job', 'job', 'job']);
  });

  it('gives a job slower than syncWaitMs up as transient (the retry finds the same job)', async () => {
    sim.jobPolls = 1000;
    const err = await failure(adapter({ syncWaitMs: 100, syncPollMs: 20 }).cancel(ID, REASON));
    expect(err.type).toBe(ErrorType.Transient);
    expect(err.message).toMatch(
      /^shopify: cancel order 450789469: job gid:\/\/shopify\/Job\/\S+ still running after 100 ms$/,
    );
    await expect(adapter().startCancel(ID, REASON)).resolves.toMatchObject({ status: 'PENDING' });
    expect(sim.jobs.size).toBe(1);
  });
});

describe('shopify request-level errors', () => {
  it('maps THROTTLED to ProviderTransientError waiting (requested - available) / restoreRate', async () => {
    sim.throttle('cancel', 200, 752);
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Transient, status: 200, retryAfterMs: 5520, retryable: true });
    expect(err.message).toBe(`shopify: cancel order ${ID}: throttled by query cost (THROTTLED): Throttled`);
  });

  it.each([
    ['ACCESS_DENIED', ErrorType.Auth],
    ['SHOP_INACTIVE', ErrorType.Auth],
    ['INTERNAL_SERVER_ERROR', ErrorType.Transient],
    ['MAX_COST_EXCEEDED', ErrorType.Response],
    [undefined, ErrorType.Response],
  ])('maps top-level error code %s to %s', async (code, type) => {
    const body = { errors: [{ message: 'nope', ...(code ? { extensions: { code } } : {}) }] };
    sim.injectFault({ route: 'lookup', status: 200, body: JSON.stringify(body) });
    const err = await failure(adapter().lookup(ID));
    expect(err).toMatchObject({ type, status: 200, providerMessage: 'nope' });
  });

  it('maps a wrong token (HTTP 401) to ProviderAuthError without repeating the token', async () => {
    const err = await failure(adapter({ accessToken: 'shpat_wrong' }).cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Auth, status: 401 });
    expect(err.message).toContain('Invalid API key or access token');
  });

  it('blanks the token out of a provider message that echoes it', async () => {
    sim.injectFault({
      route: 'cancel',
      status: 403,
      body: JSON.stringify({ errors: `token ${TOKEN} lacks write_orders` }),
    });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Auth, status: 403 });
    expect(err.message).toContain('token [redacted] lacks write_orders');
  });

  it('maps 429 with Retry-After to ProviderTransientError honouring it', async () => {
    sim.injectFault({ route: 'cancel', status: 429, retryAfter: '2.0' });
    const err = await failure(adapter().cancel(ID, REASON));
    expect(err).toMatchObject({ type: ErrorType.Transient, status: 429, retryAfterMs: 2000 });
  });

  it.each([500, 503])('maps HTTP %s to ProviderTransientError', async (status) => {
    sim.injectFault({ route: 'job', status });
    const err = await failure(adapter().pollCancel({ orderId: ID, status: 'PENDING', jobId: 'gid://shopify/Job/1' }));
    expect(err).toMatchObject({ type: ErrorType.Transient, status });
  });

  it('maps HTTP 402 (shop frozen) to auth and 404 (wrong shop or version) to config', async () => {
    sim.injectFault({ route: 'cancel', status: 402 });
    expect((await failure(adapter().cancel(ID, REASON))).type).toBe(ErrorType.Auth);
    sim.injectFault({ route: 'lookup', status: 404 });
    const err = await failure(adapter().lookup(ID));
    expect(err).toMatchObject({ type: ErrorType.Config, status: 404 });
    expect(err.message).toBe('shopify: no GraphQL endpoint there (HTTP 404): check the base URL and API version');
  });
});

describe('shopify order ids', () => {
  it.each([ID, GID])('sends the global id for %s', async (id) => {
    await adapter().lookup(id);
    expect(bodyOf(0).variables).toEqual({ id: GID });
    expect(sim.requests[0].url).toBe(PATH);
  });

  it.each(['../x?y#z', '/admin/api/2026-10/x', 'gid://shopify/Customer/1', `${ID}?x=1`, '', '0012'])(
    'refuses %j before any request: an id never reaches the URL',
    async (id) => {
      const err = await failure(adapter().cancel(id, REASON));
      expect(err.type).toBe(ErrorType.InvalidRequest);
      expect(err.message).toMatch(/^shopify: orderId must be a number or gid:\/\/shopify\/Order\/<number>/);
      expect(sim.requests).toEqual([]);
    },
  );
});

describe('shopify lookup', () => {
  it('sends order(id:) with the documented fields and maps an open paid order', async () => {
    await expect(adapter().lookup(ID)).resolves.toEqual({ orderId: ID, status: 'UNFULFILLED', paid: true });
    expect(sim.requests[0]).toMatchObject({ method: 'POST', url: PATH, route: 'lookup' });
    expect(bodyOf(0)).toEqual({ query: LOOKUP_QUERY, variables: { id: GID } });
  });

  it.each([
    [{ status: 'CANCELLED', financialStatus: 'REFUNDED' }, 'CANCELLED', false],
    [{ status: 'FULFILLED', financialStatus: 'PARTIALLY_REFUNDED' }, 'FULFILLED', true],
    [{ status: 'ON_HOLD', financialStatus: 'AUTHORIZED' }, 'ON_HOLD', false],
    [{ status: 'UNFULFILLED', financialStatus: 'SOMETHING_NEW' }, 'UNFULFILLED', undefined],
  ])('maps %j to status %s, paid %s', async (o, status, paid) => {
    sim.seed([{ ...order, ...o }]);
    await expect(adapter().lookup(ID)).resolves.toEqual({ orderId: ID, status, paid });
  });

  it('maps order: null to ProviderRejectedError', async () => {
    const err = await failure(adapter().lookup('1'));
    expect(err).toMatchObject({ type: ErrorType.Rejected, message: 'shopify: look up order 1: not found' });
  });
});

describe('shopify transport faults', () => {
  itMapsTransportFaults({ provider: 'shopify', sim, cancel: (o) => adapter(o).cancel(ID, REASON), secrets: [TOKEN] });
});

describe('shopify throttle delay', () => {
  const cost = (requested: number, available: number, rate: number) => ({
    requestedQueryCost: requested,
    throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: rate },
  });
  it('is (requested - available) / restoreRate seconds, bounded', () => {
    expect(throttleDelayMs(cost(752, 666, 50))).toBe(1720);
    expect(throttleDelayMs(cost(10, 9.5, 100))).toBe(MIN_THROTTLE_WAIT_MS);
    expect(throttleDelayMs(cost(1000, 0, 1))).toBe(MAX_THROTTLE_WAIT_MS);
  });
  it('is undefined without the numbers or with a zero restore rate', () => {
    expect(throttleDelayMs(undefined)).toBeUndefined();
    expect(throttleDelayMs({ requestedQueryCost: 5 })).toBeUndefined();
    expect(throttleDelayMs(cost(10, 0, 0))).toBeUndefined();
  });
});

describe('shopify config', () => {
  it.each([
    [{ baseUrl: 'shop.myshopify.com' }, /^shopify: baseUrl must be an http\(s\) origin/],
    [{ baseUrl: 'https://shop.myshopify.com/admin?x' }, /^shopify: baseUrl must be an http\(s\) origin/],
    [{ apiVersion: '2026-10/../x' }, /^shopify: apiVersion must be a dated version/],
    [{ accessToken: '' }, /^shopify: accessToken must be non-empty/],
    [{ refundsBy: 'nobody' as 'merchant' }, /^shopify: refundsBy must be merchant or shopify$/],
  ])('refuses %j', (over, message) => {
    expect(() => createShopifyAdapter({ baseUrl: 'https://s.myshopify.com', accessToken: TOKEN, ...over })).toThrow(
      message,
    );
  });

  it('never echoes the token of a refused config', () => {
    const err = (() => {
      try {
        createShopifyAdapter({ baseUrl: 'nope', accessToken: TOKEN });
      } catch (e) {
        return e;
      }
    })();
    expectNoSecret(err, [TOKEN]);
  });
});

describe('shopify plug-in', () => {
  const fromSettings = (over: Record<string, string | undefined> = {}) =>
    plugin.createAdapter(
      { ...settingsOf({ ...plugin.simulator.env(sim.url), ...plugin.simulator.credentials }), ...over },
      { timeoutMs: 2000 },
    );
  /** The settings the worker would parse from the simulator's env (by the manifest's env → key). */
  const settingsOf = (env: Record<string, string>) =>
    Object.fromEntries(plugin.manifest.config.flatMap((f) => (f.env in env ? [[f.key, env[f.env]]] : [])));

  it('sends exactly the documented request of its conformance fixture', async () => {
    const fixtureSim = plugin.simulator.create();
    await fixtureSim.start();
    try {
      const { eligible } = plugin.conformance.orders;
      fixtureSim.seed([eligible]);
      const a = plugin.createAdapter(
        settingsOf({ ...plugin.simulator.env(fixtureSim.url), ...plugin.simulator.credentials }),
        { timeoutMs: 2000 },
      );
      await expect(a.startCancel!(eligible.id, REASON)).resolves.toMatchObject({ status: 'PENDING' });
      const doc = plugin.conformance.cancelRequest(eligible.id);
      const [seen] = fixtureSim.requests;
      expect({ method: seen.method, path: seen.url, body: JSON.parse(seen.body) as unknown }).toEqual({
        method: doc.method,
        path: doc.path,
        body: doc.body,
      });
      for (const [name, value] of Object.entries(doc.headers ?? {})) expect(seen.headers[name]).toBe(value);
    } finally {
      await fixtureSim.stop();
    }
  });

  it("refuses the fixture's refused order after the lookup, and keys global ids by number", async () => {
    const { refused, eligible } = plugin.conformance.orders;
    sim.seed([refused, eligible]);
    sim.injectFault(refused.fault!);
    expect(sim.orders.has('9100001')).toBe(true);
    const a = createShopifyAdapter({ baseUrl: sim.url, accessToken: TOKEN });
    const err = await failure(a.startCancel(refused.id, REASON));
    expect(err.providerMessage).toBe('Order has pending payment authorizations');
    expect(sim.requests.map((r) => r.route)).toEqual(['cancel', 'lookup']);
  });

  it('maps its settings: version, who refunds, notify', async () => {
    const a = fromSettings({ apiVersion: '2025-10', refundsBy: 'shopify', notifyCustomer: 'true', accessToken: TOKEN });
    await a.startCancel!(ID, REASON);
    expect(sim.requests[0].url).toBe('/admin/api/2025-10/graphql.json');
    expect(bodyOf(0).variables).toMatchObject({ restock: true, notifyCustomer: true });
  });

  it('keeps its manifest free of I/O imports (the workflow bundle reads it)', () => {
    const dir = path.join(__dirname, '../../../src/providers/shopify');
    const valueImports = (file: string) =>
      [...fs.readFileSync(path.join(dir, file), 'utf8').matchAll(/^import (?!type )[^;]*from '([^']+)';/gm)].map(
        (m) => m[1],
      );
    // `../manifest` (defineManifest) is pure data too, once the layout branch's types are in.
    expect(valueImports('manifest.ts').filter((m) => !['./reasons', '../manifest'].includes(m))).toEqual([]);
    expect(valueImports('reasons.ts')).toEqual([]);
  });

  it('declares the token secret and every reason code', () => {
    const secrets = plugin.manifest.config.filter((f) => 'secret' in f && f.secret).map((f) => f.env);
    expect(secrets).toEqual(['SHOPIFY_ACCESS_TOKEN']);
    expect(Object.keys(plugin.manifest.reasons.codes ?? {}).sort()).toEqual([...REASON_CODES].sort());
  });
});

describe('shopify simulator', () => {
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    send('shopify', {
      method: 'POST',
      url: `${sim.url}${path}`,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('takes orders and their job settings through the control API, keyed by number', async () => {
    const res = await post('/__sandbox/orders', [
      { id: 'gid://shopify/Order/8001', status: 'ON_HOLD', jobFails: true },
    ]);
    expect(res.status).toBe(200);
    expect(sim.orders.get('8001')).toEqual({ id: '8001', status: 'ON_HOLD', jobFails: true });
  });

  it('answers variables the version does not declare with a GraphQL error and cancels nothing', async () => {
    const variables = { orderId: GID, reason: 'CUSTOMER', refund: true, restock: true };
    const res = await post(PATH, { query: cancelMutation('2026-10'), variables }, { 'x-shopify-access-token': TOKEN });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({
      errors: [
        { message: 'Variable $refund is not declared by this operation', extensions: { code: 'INVALID_VARIABLE' } },
      ],
    });
    expect(sim.jobs.size).toBe(0);
  });
});
