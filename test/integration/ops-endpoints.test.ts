import { BulkClient } from '../../src/client/bulk-client';
import { CancellationClient } from '../../src/client/cancellation-client';
import { FAST_RETRIES, startTestStack, type TestStack } from '../helpers/stack';
import { freePort, scrape, valueOf } from '../helpers/prometheus';
import { taskQueue } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';
import { killWorker, spawnWorker, type WorkerProcess } from '../helpers/worker-process';

let stack: TestStack;
let worker: WorkerProcess | undefined;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await killWorker(worker);
  await stack?.teardown();
});

const get = async (url: string) => {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

test('a worker process: /readyz and /healthz while polling, /metrics counts what a run did, 503 while draining', async () => {
  const [healthPort, metricsPort] = [await freePort(), await freePort()];
  const health = `http://127.0.0.1:${healthPort}`;
  const metrics = `http://127.0.0.1:${metricsPort}/metrics`;
  const tq = taskQueue('ops');
  worker = await spawnWorker(stack, tq, {
    ...FAST_RETRIES,
    HEALTH_BIND_ADDRESS: `127.0.0.1:${healthPort}`,
    METRICS_BIND_ADDRESS: `127.0.0.1:${metricsPort}`,
  });
  await worker.waitForOutput(/worker polling/);
  await waitFor(async () => (await get(`${health}/readyz`)).status === 200, '/readyz 200');
  expect(await get(`${health}/healthz`)).toEqual({
    status: 200,
    body: { healthy: true, ready: true, state: 'polling', connection: 'ok' },
  });

  // The run: 4 cancelled (one after a 503), 1 refused by Fungies, 1 not eligible, plus a bulk of 2.
  const f = stack.sandbox.fungies;
  const paid = ['m-ok-1', 'm-ok-2', 'm-ok-3', 'm-retry', 'm-refused', 'm-bulk-1', 'm-bulk-2'];
  f.seed([...paid.map((id) => ({ id, status: 'PAID', paid: true })), { id: 'm-shipped', status: 'FULFILLED' }]);
  f.injectFault({ route: 'cancel', orderId: 'm-retry', status: 503 });
  f.injectFault({ route: 'cancel', orderId: 'm-refused', status: 422, body: '{"status":"error","error":{}}' });
  const client = new CancellationClient({ client: stack.env.client, taskQueue: tq });
  const singles = ['m-ok-1', 'm-ok-2', 'm-ok-3', 'm-retry', 'm-refused', 'm-shipped'];
  const outcomes = await Promise.all(
    singles.map(async (orderId) => {
      const h = await client.startCancellation({ provider: 'fungies', orderId, reason: { code: 'staff' } });
      return (await h.result()).outcome;
    }),
  );
  expect(outcomes).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED', 'CANCELLED', 'REJECTED', 'NOT_ELIGIBLE']);
  const bulk = new BulkClient({ client: stack.env.client, taskQueue: tq });
  const started = await bulk.startBulkCancellation({
    provider: 'fungies',
    bulkId: `ops-${tq}`,
    orderIds: ['m-bulk-1', 'm-bulk-2'],
    reason: { code: 'staff' },
  });
  expect((await started.handle.result()).byOutcome).toEqual({ CANCELLED: 2 });

  const finished = 'cancellations_finished_total';
  let last = '';
  const { text, samples } = await waitFor(async () => {
    const s = await scrape(metrics);
    last = s.text;
    return valueOf(s.samples, 'bulk_orders_processed_total') === 2 ? s : undefined;
  }, 'bulk metrics scraped').catch((err: Error) => {
    throw new Error(`${err.message}; last scrape:\n${last}`);
  });
  // Cancellations by provider and outcome: those two labels, beside the SDK's namespace and taskQueue.
  const own = ({ namespace: _n, taskQueue: _q, ...labels }: Record<string, string>) => labels;
  expect(samples.filter((s) => s.name === finished).map((s) => [own(s.labels), s.value])).toEqual(
    expect.arrayContaining([
      [{ provider: 'fungies', outcome: 'CANCELLED' }, 6],
      [{ provider: 'fungies', outcome: 'REJECTED' }, 1],
      [{ provider: 'fungies', outcome: 'NOT_ELIGIBLE' }, 1],
    ]),
  );
  expect(samples.filter((s) => s.name === finished)).toHaveLength(3);
  expect(valueOf(samples, 'bulk_orders_processed_total', { outcome: 'CANCELLED' })).toBe(2);
  // Provider calls: a lookup per order (eligibility), a cancel per attempt, each with its result.
  const calls = (operation: string, result: string) =>
    valueOf(samples, 'provider_call_latency_count', { provider: 'fungies', operation, result });
  expect(calls('lookup', 'ok')).toBe(8);
  expect(calls('cancel', 'ok')).toBe(6);
  expect(calls('cancel', 'transient')).toBe(1);
  expect(calls('cancel', 'rejected')).toBe(1);
  // Webhook deliveries equal what the merchant receiver got, type by type.
  const received = new Map<string, number>();
  for (const e of stack.sandbox.merchant.events) received.set(e.type, (received.get(e.type) ?? 0) + 1);
  for (const [type, n] of received) {
    expect([type, valueOf(samples, 'merchant_webhook_deliveries_total', { type, result: 'delivered' })]).toEqual([
      type,
      n,
    ]);
  }
  expect(text).toMatch(/^provider_call_latency_bucket\{.*le="2500"/m);
  // The SDK's own runtime metrics come out of the same endpoint.
  expect(text).toMatch(/^temporal_workflow_completed(_total)?\{/m);
  expect(text).toMatch(/^temporal_activity_execution_latency_(bucket|count)\{/m);

  // A FastPOD cancel whose provider keeps failing waits for an operator: the gauge (from visibility) shows it.
  stack.sandbox.fastpod.seed([{ id: 'F237-OPS-1', status: 'new_order' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'F237-OPS-1', status: 503, times: Infinity });
  await client.startCancellation({ provider: 'fastpod', orderId: 'F237-OPS-1', reason: { code: 'staff' } });
  await waitFor(
    async () => valueOf((await scrape(metrics)).samples, 'cancellations_awaiting_operator') === 1,
    'cancellations_awaiting_operator 1',
    45_000,
  );

  // Draining: a slow pivot is in flight when SIGTERM arrives; the probes say so until the worker exits 0.
  f.seed([{ id: 'm-slow', status: 'PAID' }]);
  f.injectFault({ route: 'cancel', orderId: 'm-slow', latencyMs: 3_000 });
  await client.startCancellation({ provider: 'fungies', orderId: 'm-slow', reason: { code: 'staff' } });
  await waitFor(() => f.requestsFor('cancel', 'm-slow').length === 1, 'slow pivot at the provider');
  worker.child.kill('SIGTERM');
  const draining = await waitFor(async () => {
    const h = await get(`${health}/healthz`);
    return h.status === 503 ? h : undefined;
  }, '/healthz 503 while draining');
  expect(draining.body).toMatchObject({ healthy: false, ready: false });
  expect((await get(`${health}/readyz`)).status).toBe(503);
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  expect(f.requestsFor('cancel', 'm-slow')[0].responseStatus).toBe(200);
  process.stdout.write(
    `--- scrape excerpt ---\n${text
      .split('\n')
      .filter((l) => /cancellations|provider_call_latency_count|webhook|bulk_orders/.test(l))
      .join('\n')}\n`,
  );
});
