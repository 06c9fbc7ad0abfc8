import { createWebhookHooks, signBody } from '../../src/merchant/webhook';
import { MerchantRefusedError, MerchantTransientError, type HookCall } from '../../src/merchant/port';
import { InvalidRequestError } from '../../src/contract';
import { closeSharedAgent, send } from '../../src/providers/http';
import { MerchantReceiverSim } from '../../src/sandbox/merchant';

const secret = 'whsec-unit-test-7f3a';
const sim = new MerchantReceiverSim({ secret });
beforeAll(() => sim.start());
afterAll(async () => {
  await sim.stop();
  await closeSharedAgent();
});
beforeEach(() => sim.reset());

const call: HookCall = {
  step: 'hold',
  type: 'cancellation.hold_requested',
  key: 'cancel:fungies:o-1/hold',
  workflowId: 'cancel:fungies:o-1',
  provider: 'fungies',
  orderId: 'o-1',
  occurredAt: '2026-11-23T10:00:00.000Z',
  data: { reason: { code: 'fraud' } },
};

it('posts the design event, signed with HMAC-SHA256 of the raw body, with an idempotency key', async () => {
  const hooks = createWebhookHooks({ url: sim.webhookUrl, secret });
  await expect(hooks(call)).resolves.toBe('done');
  const [req] = sim.requests;
  expect(req.method).toBe('POST');
  expect(req.url).toBe('/webhooks/cancellation');
  expect(req.headers['content-type']).toBe('application/json');
  expect(req.headers['idempotency-key']).toBe('cancel:fungies:o-1/hold');
  expect(req.headers['x-signature']).toBe(signBody(secret, req.body));
  expect(JSON.parse(req.body)).toEqual({
    id: 'cancel:fungies:o-1/hold',
    type: 'cancellation.hold_requested',
    occurredAt: '2026-11-23T10:00:00.000Z',
    workflowId: 'cancel:fungies:o-1',
    provider: 'fungies',
    orderId: 'o-1',
    data: { reason: { code: 'fraud' } },
  });
  expect(sim.events).toHaveLength(1);
});

it('a repeated delivery is recognised by its idempotency key and recorded once', async () => {
  const hooks = createWebhookHooks({ url: sim.webhookUrl, secret });
  await hooks(call);
  await hooks(call);
  expect(sim.events).toHaveLength(1);
  expect(sim.duplicates).toBe(1);
});

it('a wrong secret is refused by the receiver (4xx → not retried), without echoing the secret', async () => {
  const hooks = createWebhookHooks({ url: sim.webhookUrl, secret: 'not-the-secret' });
  const err = await hooks(call).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MerchantRefusedError);
  expect((err as MerchantRefusedError).status).toBe(401);
  expect(String((err as Error).message)).not.toContain('not-the-secret');
  expect(sim.events).toHaveLength(0);
});

it('5xx and timeouts are transient (retried by the activity)', async () => {
  sim.injectFault({ route: 'cancellation.hold_requested', status: 503 });
  const hooks = createWebhookHooks({ url: sim.webhookUrl, secret, timeoutMs: 200 });
  await expect(hooks(call)).rejects.toBeInstanceOf(MerchantTransientError);
  sim.injectFault({ route: 'cancellation.hold_requested', hang: true });
  await expect(hooks(call)).rejects.toThrow(/no answer within 200 ms/);
});

it('with no URL configured every step is recorded as skipped', async () => {
  await expect(createWebhookHooks({})(call)).resolves.toBe('skipped');
  expect(sim.requests).toHaveLength(0);
});

test('a key with non-Latin-1 characters is sent percent-encoded in the header (the event id keeps it as is)', async () => {
  const key = 'cancel:fungies:заказ-1/run-1/hold';
  const hooks = createWebhookHooks({ url: sim.webhookUrl, secret });
  await expect(hooks({ ...call, key, orderId: 'заказ-1', workflowId: 'cancel:fungies:заказ-1' })).resolves.toBe('done');
  const [req] = sim.requests;
  expect(req.headers['idempotency-key']).toBe('cancel:fungies:%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7-1/run-1/hold');
  expect(decodeURIComponent(String(req.headers['idempotency-key']))).toBe(key);
  expect(JSON.parse(req.body)).toMatchObject({ id: key, orderId: 'заказ-1' });
  // '%' itself is encoded, so two different keys never share a header value.
  await hooks({ ...call, key: 'cancel:fungies:%D0%B7/run-1/hold' });
  expect(sim.requests[1].headers['idempotency-key']).toBe('cancel:fungies:%25D0%25B7/run-1/hold');
});

test('a request that cannot be built is our own error (InvalidRequestError), not a connection failure', async () => {
  const err = await send('merchant', {
    method: 'POST',
    url: sim.webhookUrl,
    headers: { 'x-order': 'заказ' },
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(InvalidRequestError);
  expect((err as Error).message).toBe('merchant: the request could not be built: invalid x-order header');
  const bad = await send('merchant', { method: 'POST', url: 'not a url', headers: {} }).catch((e: unknown) => e);
  expect(bad).toBeInstanceOf(InvalidRequestError);
  expect((bad as Error).message).toBe('merchant: the request could not be built: Invalid URL');
  expect(sim.requests).toHaveLength(0);
});

test('a refusal body that echoes the secret or the URL credentials is redacted in the error', async () => {
  const url = new URL(sim.webhookUrl);
  url.username = 'hook-user';
  url.password = 'url-pass-93kq';
  url.searchParams.set('token', 'tok-5511aa');
  const echo = `bad request from ${url.href} signed with ${secret} (user hook-user, pass url-pass-93kq, tok-5511aa)`;
  sim.injectFault({ route: 'cancellation.hold_requested', status: 400, body: JSON.stringify({ error: echo }) });
  const err = await createWebhookHooks({ url: url.href, secret })(call).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(MerchantRefusedError);
  const message = (err as Error).message;
  expect(message).toMatch(/^merchant refused cancellation\.hold_requested \(HTTP 400\): .*\[redacted\]/);
  for (const s of [secret, 'url-pass-93kq', 'hook-user', 'tok-5511aa']) expect(message).not.toContain(s);
});
