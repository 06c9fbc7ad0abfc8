import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { ApplicationFailure } from '@temporalio/common';
import { batchBody, createBatchWebhookHooks, parseBatchAnswer, splitBatches } from '../../src/merchant/batch';
import { eventOf, signBody } from '../../src/merchant/webhook';
import type { HookCall } from '../../src/merchant/port';
import { createActivities } from '../../src/activities';
import { closeSharedAgent } from '../../src/providers/http';
import { MerchantReceiverSim } from '../../src/sandbox/merchant';
import { merchantEventBatchSchema } from '../../src/contract/merchant-schemas';

const secret = 'whsec-batch-test-51c2';
const sim = new MerchantReceiverSim({ secret });
beforeAll(() => sim.start());
afterAll(async () => {
  await sim.stop();
  await closeSharedAgent();
});
beforeEach(() => sim.reset());

const WF = 'bulk-cancel:fincart:b1:batch:1';
const call = (orderId: string, data: Record<string, unknown> = {}): HookCall => ({
  step: 'hold',
  type: 'cancellation.hold_requested',
  key: `${WF}/run-1/${orderId}/hold`,
  workflowId: WF,
  provider: 'fincart',
  orderId,
  occurredAt: '2026-12-07T10:00:00.000Z',
  data,
});
const calls = (n: number) => Array.from({ length: n }, (_, i) => call(`o-${i}`));

test('splitting: at most maxEvents per POST, and at most maxBytes of body; an oversized event goes alone', () => {
  expect(splitBatches(calls(250), { maxEvents: 100, maxBytes: 1e9 }).map((p) => p.length)).toEqual([100, 100, 50]);
  const parts = splitBatches(calls(40), { maxEvents: 100, maxBytes: 4_000 });
  for (const p of parts) expect(Buffer.byteLength(batchBody(p).body)).toBeLessThanOrEqual(4_000);
  expect(parts.flat().map((c) => c.orderId)).toEqual(calls(40).map((c) => c.orderId));
  const big = call('big', { note: 'x'.repeat(5_000) });
  expect(splitBatches([call('a'), big, call('b')], { maxEvents: 100, maxBytes: 4_000 }).map((p) => p.length)).toEqual([
    1, 1, 1,
  ]);
});

test('a POST is one signed body with each event and its own id; the same events give the same batch id', async () => {
  const hooks = createBatchWebhookHooks({ url: sim.webhookUrl, secret });
  const out = await hooks(calls(3));
  expect(out.map((o) => o.result)).toEqual(['done', 'done', 'done']);
  const [req] = sim.requests;
  expect(sim.requests).toHaveLength(1);
  expect(req.headers['x-signature']).toBe(signBody(secret, req.body));
  const body = merchantEventBatchSchema.parse(JSON.parse(req.body));
  expect(body.events.map((e) => e.id)).toEqual(calls(3).map((c) => c.key));
  expect(req.headers['idempotency-key']).toBe(body.id);
  expect(batchBody(calls(3)).key).toBe(body.id);
  expect(JSON.parse(batchBody(calls(3)).body)).toEqual({
    type: 'cancellation.batch',
    id: body.id,
    events: calls(3).map(eventOf),
  });
  expect(sim.events.map((e) => e.orderId)).toEqual(['o-0', 'o-1', 'o-2']);
});

test('the receiver refuses one event of a batch and takes the others; a redelivery is de-duplicated per event', async () => {
  const hooks = createBatchWebhookHooks({ url: sim.webhookUrl, secret });
  sim.injectFault({ route: 'cancellation.hold_requested', orderId: 'o-1', status: 409, body: 'order is packed' });
  const out = await hooks(calls(3));
  expect(out).toEqual([
    { key: calls(3)[0].key, result: 'done' },
    {
      key: calls(3)[1].key,
      result: 'refused',
      message: 'merchant refused cancellation.hold_requested: order is packed',
    },
    { key: calls(3)[2].key, result: 'done' },
  ]);
  await hooks([calls(3)[0], calls(3)[2]]);
  expect(sim.events).toHaveLength(2);
  expect(sim.duplicates).toBe(2);
});

test('answers: 4xx refuses every event, 5xx and 429 retry them, 2xx without results retries, a missing result retries', () => {
  const cs = calls(2);
  expect(parseBatchAnswer(cs, 401, 'bad signature')).toEqual(
    cs.map((c) => ({
      key: c.key,
      result: 'refused',
      status: 401,
      message: 'merchant refused the batch of 2 event(s) (HTTP 401): bad signature',
    })),
  );
  for (const status of [429, 500, 503]) {
    expect((parseBatchAnswer(cs, status, '') as { result: string }[]).map((o) => o.result)).toEqual(['retry', 'retry']);
  }
  expect(parseBatchAnswer(cs, 413, '')).toBe('too-large');
  const noResults = parseBatchAnswer(cs, 200, '{"received":true}') as { result: string; message: string }[];
  expect(noResults.map((o) => o.result)).toEqual(['retry', 'retry']);
  expect(noResults[0].message).toMatch(/without a result per event/);
  const one = JSON.stringify({ results: [{ eventId: cs[0].key, result: 'ok' }] });
  expect((parseBatchAnswer(cs, 200, one) as { result: string }[]).map((o) => o.result)).toEqual(['done', 'retry']);
});

test('a 413 splits the POST in halves until the receiver takes it', async () => {
  sim.injectFault({ route: 'cancellation.batch', status: 413 });
  const out = await createBatchWebhookHooks({ url: sim.webhookUrl, secret })(calls(4));
  expect(out.map((o) => o.result)).toEqual(['done', 'done', 'done', 'done']);
  expect(sim.requests.map((r) => r.orderIds.length)).toEqual([4, 2, 2]);
});

test('no URL: every event is skipped', async () => {
  const out = await createBatchWebhookHooks({ secret })(calls(2));
  expect(out.map((o) => o.result)).toEqual(['skipped', 'skipped']);
});

test('merchantHookBatch, batched: a refused event is settled, an untaken one fails the attempt and is sent again alone', async () => {
  const batchHooks = createBatchWebhookHooks({ url: sim.webhookUrl, secret });
  const acts = createActivities({ providers: {}, hooks: async () => 'done', batchHooks });
  const env = new MockActivityEnvironment({ attempt: 1 }, { logger: new DefaultLogger('ERROR') });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => heartbeats.push(d));
  sim.injectFault({ route: 'cancellation.hold_requested', orderId: 'o-1', status: 409 });
  sim.injectFault({ route: 'cancellation.hold_requested', orderId: 'o-2', status: 503 });
  const err = await env.run(acts.merchantHookBatch, calls(3)).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as ApplicationFailure).message).toMatch(/^1 of 3 merchant call\(s\) failed/);
  const done = (heartbeats[0] as { done: { key: string; result: string }[] }).done;
  expect(done.map((d) => [d.key.split('/')[2], d.result])).toEqual([
    ['o-0', 'done'],
    ['o-1', 'refused'],
  ]);
  const retry = new MockActivityEnvironment(
    { attempt: 2, heartbeatDetails: { done } },
    { logger: new DefaultLogger('ERROR') },
  );
  const r: Awaited<ReturnType<typeof acts.merchantHookBatch>> = await retry.run(acts.merchantHookBatch, calls(3));
  expect(r.results.map((x) => x.result)).toEqual(['done', 'refused', 'done']);
  expect(sim.requests.at(-1)?.orderIds).toEqual(['o-2']);
  expect(sim.events.map((e) => e.orderId)).toEqual(['o-0', 'o-2']);
});

test('merchantHookBatch: a call sent after another waits for it, and is not sent after a refusal', async () => {
  const batchHooks = createBatchWebhookHooks({ url: sim.webhookUrl, secret });
  const acts = createActivities({ providers: {}, hooks: async () => 'done', batchHooks });
  const env = new MockActivityEnvironment({ attempt: 1 }, { logger: new DefaultLogger('ERROR') });
  const restock = (o: string): HookCall => ({
    ...call(o),
    step: 'restock',
    type: 'cancellation.restock_requested',
    key: `${WF}/run-1/${o}/restock`,
  });
  const done = (o: string): HookCall => ({
    ...call(o),
    step: 'markCancelled',
    type: 'cancellation.completed',
    key: `${WF}/run-1/${o}/markCancelled`,
    after: `${WF}/run-1/${o}/restock`,
  });
  sim.injectFault({ route: 'cancellation.restock_requested', orderId: 'o-1', status: 409 });
  const r: Awaited<ReturnType<typeof acts.merchantHookBatch>> = await env.run(acts.merchantHookBatch, [
    restock('o-0'),
    done('o-0'),
    restock('o-1'),
    done('o-1'),
  ]);
  expect(r.results.map((x) => [x.key.split('/')[2], x.key.split('/')[3], x.result])).toEqual([
    ['o-0', 'restock', 'done'],
    ['o-0', 'markCancelled', 'done'],
    ['o-1', 'restock', 'refused'],
  ]);
  // Two waves: the restocks, then the completed event of the order whose restock went through.
  expect(sim.batches).toBe(2);
  expect(sim.events.map((e) => `${e.orderId} ${e.type}`)).toEqual([
    'o-0 cancellation.restock_requested',
    'o-0 cancellation.completed',
  ]);
});
