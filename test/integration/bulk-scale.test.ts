import { BulkClient } from '../../src/client/bulk-client';
import { useTestStack, type TestStack } from '../helpers/stack';
import { bulkId, ids, runBulk } from '../helpers/bulk';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();

/** Each id cancelled exactly once at the provider (one accepted request naming it). */
function acceptedCounts(sim: TestStack['sandbox']['fincart'], from: number): Map<string, number> {
  const n = new Map<string, number>();
  for (const r of sim.requestsFor('cancel').slice(from)) {
    if (r.responseStatus !== 200) continue;
    for (const id of r.orderIds) n.set(id, (n.get(id) ?? 0) + 1);
  }
  return n;
}

it('continue-as-new with a small threshold: chunks sent by the client, several runs, nothing lost or repeated (fungies)', async () => {
  const bid = bulkId('can');
  const all = ids(`CN${bid.slice(-6)}`, 120);
  const fungies = stack.sandbox.fungies;
  fungies.seed(all.map((id) => ({ id, status: 'PENDING' })));
  const w = await stack.newWorker();
  const { result, workflowId } = await runBulk(
    stack,
    w,
    {
      provider: 'fungies',
      bulkId: bid,
      orderIds: all,
      reason: { code: 'duplicate' },
      concurrency: 10,
      limits: { historyThreshold: 250, maxOrdersPerRun: 40, bufferCapacity: 30 },
    },
    { inlineMax: 0, chunkSize: 15 },
  );
  expect(result).toMatchObject({ state: 'DONE', total: 120, byOutcome: { CANCELLED: 120 }, notCancelled: [] });
  expect(result.runs).toBeGreaterThanOrEqual(3);
  expect(result.runHistoryLengths).toHaveLength(result.runs);
  expect(result.maxHistoryLength).toBeLessThan(400);
  for (const id of all) expect(fungies.requestsFor('cancel', id)).toHaveLength(1);
  // The workflow id stayed; the runs form a chain.
  const desc = await stack.env.client.workflow.getHandle(workflowId).describe();
  expect(desc.searchAttributes).toMatchObject({ CancelState: ['DONE'], CancelBulkId: [bid] });
});

it('fincart across runs: batches numbered on, each id in exactly one accepted call', async () => {
  const bid = bulkId('fcan');
  const all = ids(`FN${bid.slice(-6)}`, 400);
  const fincart = stack.sandbox.fincart;
  fincart.seed(all.map((id) => ({ id, status: 'pending' })));
  const before = fincart.requests.length;
  const w = await stack.newWorker();
  const { result } = await runBulk(
    stack,
    w,
    {
      provider: 'fincart',
      bulkId: bid,
      orderIds: all,
      reason: { code: 'inventory' },
      batchSize: 20,
      concurrency: 4,
      limits: { maxOrdersPerRun: 100, bufferCapacity: 100, callsPerBatch: 1 },
    },
    { inlineMax: 0, chunkSize: 50 },
  );
  expect(result).toMatchObject({ state: 'DONE', total: 400, byOutcome: { CANCELLED: 400 } });
  expect(result.runs).toBeGreaterThanOrEqual(4);
  const counts = acceptedCounts(fincart, before);
  expect(counts.size).toBe(400);
  expect([...counts.values()].every((n) => n === 1)).toBe(true);
  expect(await stack.env.client.workflow.getHandle(`bulk-cancel:fincart:${bid}:batch:20`).describe()).toBeTruthy();
});

it('worker restarted mid-bulk: the new worker finishes it with no order lost or cancelled twice', async () => {
  const bid = bulkId('restart');
  const all = ids(`RS${bid.slice(-6)}`, 400);
  const fincart = stack.sandbox.fincart;
  fincart.seed(all.map((id) => ({ id, status: 'pending' })));
  fincart.latencyMs = 40;
  const before = fincart.requests.length;
  try {
    // Restarted as a deploy does (SHUTDOWN_GRACE_MS): a Fincart call in flight finishes. Cut short (grace 0), its
    // repeat is ambiguous and waits for an operator, by design; the SIGKILL case is test/engine/failover.test.ts.
    const first = await stack.newWorker({}, undefined, { shutdownGraceTime: '20s' });
    const bulk = new BulkClient({ client: stack.env.client, taskQueue: first.taskQueue, inlineMax: 0, chunkSize: 100 });
    const running = first.worker.run();
    const started = await bulk.startBulkCancellation({
      provider: 'fincart',
      bulkId: bid,
      orderIds: all,
      reason: { code: 'other' },
      batchSize: 25,
      concurrency: 3,
      limits: { callsPerBatch: 1 },
    });
    await waitFor(async () => (await bulk.getBulkProgress(started.workflowId)).done >= 75, '75 orders done', 60_000);
    first.worker.shutdown();
    await running;
    const second = await stack.newWorker({}, first.taskQueue);
    const result = await second.worker.runUntil(async () => {
      await started.sent;
      return started.handle.result();
    });
    expect(result).toMatchObject({ state: 'DONE', total: 400, byOutcome: { CANCELLED: 400 } });
    const counts = acceptedCounts(fincart, before);
    expect(counts.size).toBe(400);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    for (const id of all.slice(0, 400))
      expect(stack.sandbox.merchant.typesFor(id)).toEqual([
        'cancellation.hold_requested',
        'cancellation.restock_requested',
        'cancellation.completed',
      ]);
  } finally {
    fincart.latencyMs = 0;
  }
});
