import { CancellationClient } from '../../src/client/cancellation-client';
import type { CancelOrderResult } from '../../src/contract';
import { startSandbox, type SandboxStack } from '../../src/sandbox/stack';
import { startDevServer, taskQueue } from '../helpers/temporal';
import { bundlePath, startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { waitFor } from '../helpers/wait';
import type { TestWorkflowEnvironment } from '@temporalio/testing';

// Two worker processes on one task queue; one is SIGKILLed mid-run and the other must finish every cancellation.
const ORDERS = 200;
const PROVIDER_LATENCY_MS = 1500; // a slow provider, so the killed worker dies with pivots in flight
const PER_WORKER_ACTIVITIES = '20';

let env: TestWorkflowEnvironment;
let sandbox: SandboxStack;
const workers: WorkerProcess[] = [];
beforeAll(async () => {
  env = await startDevServer();
  sandbox = await startSandbox();
});
afterAll(async () => {
  for (const w of workers) w.child.kill('SIGKILL');
  await sandbox?.stop();
  await env?.teardown();
});

test('SIGKILL of one of two workers mid-run: every order CANCELLED, one refund each', async () => {
  const tq = taskQueue('failover');
  const ids = Array.from({ length: ORDERS }, (_, i) => `fo-${process.pid}-${String(i).padStart(4, '0')}`);
  sandbox.fungies.seed(ids.map((id) => ({ id, status: 'PAID', paid: true })));
  sandbox.fungies.latencyMs = PROVIDER_LATENCY_MS;
  const workerEnv = {
    ...sandbox.env,
    TEMPORAL_ADDRESS: env.address,
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
    TEMPORAL_TASK_QUEUE: tq,
    WORKFLOW_BUNDLE_PATH: await bundlePath(),
    WORKER_MAX_CONCURRENT_ACTIVITIES: PER_WORKER_ACTIVITIES,
  };
  const [victim, survivor] = [startWorkerProcess(workerEnv), startWorkerProcess(workerEnv)];
  workers.push(victim, survivor);
  // Starting means transpiling the sources and loading the bundle: slow on a busy machine, hence the long wait.
  await Promise.all([victim, survivor].map((w) => w.waitForOutput(/worker polling/, 180_000)));

  const client = new CancellationClient({ client: env.client, taskQueue: tq });
  const started = Date.now();
  const handles = await Promise.all(
    ids.map((orderId) => client.startCancellation({ provider: 'fungies', orderId, reason: { code: 'fraud' } })),
  );
  const done = new Map<string, CancelOrderResult>();
  const results = Promise.all(
    handles.map(async (h, i) => {
      const r = await h.result();
      done.set(ids[i], r);
      return r;
    }),
  );
  void results.catch(() => undefined); // awaited below; a failure before that must not surface as unhandled

  // Kill once a quarter of the orders reached the provider: both workers are busy, with pivots in flight.
  await waitFor(() => sandbox.fungies.requestsFor('cancel').length >= ORDERS / 4, 'a quarter of the cancels', 180_000);
  const doneAtKill = done.size;
  const killedAt = Date.now();
  victim.child.kill('SIGKILL');
  expect((await victim.exited).signal).toBe('SIGKILL');

  const all = await results;
  const finishedAt = Date.now();
  expect(doneAtKill).toBeLessThan(ORDERS);
  expect(all.filter((r) => r.outcome !== 'CANCELLED')).toEqual([]);
  for (const id of ids) {
    expect(sandbox.fungies.orders.get(id)?.status).toBe('CANCELLED');
    // The merchant keeps one event per Idempotency-Key: a re-sent refund is recognised, not paid twice.
    expect(sandbox.merchant.typesFor(id).filter((t) => t === 'cancellation.refund_requested')).toHaveLength(1);
  }
  const cancels = ids.map((id) => sandbox.fungies.requestsFor('cancel', id).length);
  const repeated = cancels.reduce((sum, n) => sum + n - 1, 0);
  // When the dead worker's in-flight pivots reached the provider again: the heartbeat timeout plus a retry backoff.
  const retriedAt = ids.flatMap((id) =>
    sandbox.fungies
      .requestsFor('cancel', id)
      .slice(1)
      .map((r) => r.at),
  );
  const figures = {
    orders: ORDERS,
    doneAtKill,
    killAfterMs: killedAt - started,
    lastPivotRetriedAfterKillMs: retriedAt.length ? Math.max(...retriedAt) - killedAt : null,
    recoveryMs: finishedAt - killedAt,
    totalMs: finishedAt - started,
    providerCancelsRepeated: repeated,
    ordersWithRepeatedCancel: cancels.filter((n) => n > 1).length,
    merchantDuplicatesDropped: sandbox.merchant.duplicates,
  };
  console.log(`failover: ${JSON.stringify(figures)}`);
}, 420_000);
