import { WorkflowNotFoundError } from '@temporalio/client';
import { BulkClient } from '../../src/client/bulk-client';
import { CancellationClient, InvalidInputError } from '../../src/client/cancellation-client';
import { bulkWorkflowId, cancelWorkflowId, batchWorkflowId } from '../../src/contract';
import { useTestStack } from '../helpers/stack';
import { bulkId, ids, runBulk } from '../helpers/bulk';

const stack = useTestStack();

/** The priority the server recorded on a workflow (the latest run), as `temporal workflow describe` shows it. */
async function priorityOf(workflowId: string) {
  return (await stack.env.client.workflow.getHandle(workflowId).describe()).priority;
}

it('a single cancel runs at the interactive priority (2); a caller overrides it; an out-of-range key starts nothing', async () => {
  const [plain, urgent, bad] = ids(`PR${Date.now().toString(36)}`, 3);
  stack.sandbox.fungies.seed([plain, urgent, bad].map((id) => ({ id, status: 'PAID', paid: true })));
  const w = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue: w.taskQueue });
  await w.worker.runUntil(async () => {
    const a = await client.startCancellation({ provider: 'fungies', orderId: plain, reason: { code: 'fraud' } });
    const b = await client.startCancellation(
      { provider: 'fungies', orderId: urgent, reason: { code: 'fraud' } },
      { priority: { priorityKey: 1, fairnessKey: 'merchant-42' } },
    );
    await Promise.all([a.result(), b.result()]);
  });
  expect(await priorityOf(cancelWorkflowId('fungies', plain))).toMatchObject({ priorityKey: 2 });
  expect(await priorityOf(cancelWorkflowId('fungies', urgent))).toMatchObject({
    priorityKey: 1,
    fairnessKey: 'merchant-42',
  });

  const refused = client.startCancellation(
    { provider: 'fungies', orderId: bad, reason: { code: 'fraud' } },
    { priority: { priorityKey: 7 } },
  );
  await expect(refused).rejects.toThrow(InvalidInputError);
  await expect(refused).rejects.toThrow(/^priority\.priorityKey: must be a whole number from 1 \(first\) to 5/);
  await expect(priorityOf(cancelWorkflowId('fungies', bad))).rejects.toThrow(WorkflowNotFoundError);
});

it('a bulk and each of its children run at the bulk priority (4) with the bulkId as fairness key', async () => {
  const bid = bulkId('prio');
  const all = ids(`PB${bid.slice(-6)}`, 3);
  stack.sandbox.fungies.seed(all.map((id) => ({ id, status: 'PAID', paid: true })));
  const w = await stack.newWorker();
  const { result, workflowId } = await runBulk(stack, w, {
    provider: 'fungies',
    bulkId: bid,
    orderIds: all,
    reason: { code: 'inventory' },
  });
  expect(result).toMatchObject({ state: 'DONE', byOutcome: { CANCELLED: 3 } });
  expect(workflowId).toBe(bulkWorkflowId('fungies', bid));
  expect(await priorityOf(workflowId)).toMatchObject({ priorityKey: 4, fairnessKey: bid });
  for (const id of all) {
    expect(await priorityOf(cancelWorkflowId('fungies', id))).toMatchObject({ priorityKey: 4, fairnessKey: bid });
  }
});

it("a bulk's override reaches every child, across continue-as-new; Fincart batches get it too", async () => {
  const bid = bulkId('prio-can');
  const all = ids(`PC${bid.slice(-6)}`, 30);
  stack.sandbox.fincart.seed(all.map((id) => ({ id, status: 'pending' })));
  const w = await stack.newWorker();
  const { result } = await runBulk(
    stack,
    w,
    {
      provider: 'fincart',
      bulkId: bid,
      orderIds: all,
      reason: { code: 'inventory' },
      batchSize: 5,
      concurrency: 2,
      limits: { maxOrdersPerRun: 10, bufferCapacity: 10, callsPerBatch: 1 },
    },
    { inlineMax: 0, chunkSize: 10 },
    { priority: { priorityKey: 3, fairnessWeight: 2 } },
  );
  expect(result).toMatchObject({ state: 'DONE', byOutcome: { CANCELLED: 30 } });
  expect(result.runs).toBeGreaterThanOrEqual(3);
  // The latest run of the parent still has the caller's priority; so do the first and the last (6th, 30 / 5) batch.
  const expected = { priorityKey: 3, fairnessKey: bid, fairnessWeight: 2 };
  expect(await priorityOf(bulkWorkflowId('fincart', bid))).toMatchObject(expected);
  expect(await priorityOf(batchWorkflowId('fincart', bid, 1))).toMatchObject(expected);
  expect(await priorityOf(batchWorkflowId('fincart', bid, 6))).toMatchObject(expected);
});

it('a bulk with an out-of-range priority is refused before it starts', async () => {
  const bid = bulkId('prio-bad');
  const client = new BulkClient({ client: stack.env.client, taskQueue: 'never-polled' });
  const start = client.startBulkCancellation(
    { provider: 'fungies', bulkId: bid, orderIds: ['A-1'], reason: { code: 'other' } },
    { priority: { priorityKey: 0 } },
  );
  await expect(start).rejects.toThrow(/^priority\.priorityKey: must be a whole number from 1/);
  await expect(priorityOf(bulkWorkflowId('fungies', bid))).rejects.toThrow(WorkflowNotFoundError);
});
