import { CancellationClient } from '../../src/client/cancellation-client';
import { startTestStack, type TestStack } from '../helpers/stack';
import { taskQueue } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';
import { killWorker, spawnWorker, type WorkerProcess } from '../helpers/worker-process';

let stack: TestStack;
let first: WorkerProcess | undefined;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await killWorker(first);
  await stack?.teardown();
});

// The deploy scenario: SIGTERM while 10 pivots wait ~3 s on Fungies, then a new worker takes over.
test('SIGTERM while 10 Fungies pivots are in flight: each order is cancelled at the provider exactly once', async () => {
  const orders = Array.from({ length: 10 }, (_, i) => `fng-drain-${i + 1}`);
  const sim = stack.sandbox.fungies;
  sim.seed(orders.map((id) => ({ id, status: 'PAID', paid: true })));
  sim.injectFault({ route: 'cancel', latencyMs: 3_000, times: Infinity });
  const tq = taskQueue('drain');

  // The worker as operators run it: its own process, SHUTDOWN_GRACE_MS left at its default.
  first = await spawnWorker(stack, tq);
  await first.waitForOutput(/worker polling/);
  const client = new CancellationClient({ client: stack.env.client, taskQueue: tq });
  const handles = await Promise.all(
    orders.map((orderId) => client.startCancellation({ provider: 'fungies', orderId, reason: { code: 'staff' } })),
  );
  await waitFor(() => sim.requestsFor('cancel').length === orders.length, 'all 10 pivots at the provider');
  expect(sim.requestsFor('cancel').every((r) => r.responseStatus === undefined)).toBe(true);

  first.child.kill('SIGTERM');
  const second = await stack.newWorker({ PROVIDER_TIMEOUT_MS: '10000' }, tq);
  const results = await second.worker.runUntil(async () => {
    const exit = await first!.exited;
    return { exit, outcomes: await Promise.all(handles.map((h) => h.result())) };
  });

  // The first worker drained: it exited 0 on its own, after its provider calls were answered.
  expect(results.exit).toEqual({ code: 0, signal: null });
  expect(first.output()).toMatch(/draining/);
  expect(results.outcomes.map((r) => r.outcome)).toEqual(orders.map(() => 'CANCELLED'));
  for (const orderId of orders) {
    const cancels = sim.requestsFor('cancel', orderId);
    expect({ orderId, cancels: cancels.length }).toEqual({ orderId, cancels: 1 });
    expect(cancels[0].responseStatus).toBe(200);
  }
});
