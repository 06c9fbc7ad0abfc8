import { BulkClient } from '../../src/client/bulk-client';
import { batchWorkflowId, statusQuery } from '../../src/contract';
import { runCli, type CliRun } from '../helpers/cli';
import { bulkId, ids } from '../helpers/bulk';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// `status` of a bulk and of its batches, as an operator follows one: the line `retry`/`abort` print must work.
const stack = useTestStack();
const cli = (taskQueue: string, ...args: string[]): Promise<CliRun> => runCli(stack.env.address, taskQueue, args);

/** The CLI's one JSON object, after checking it exited 0. */
function json(run: CliRun): Record<string, unknown> {
  expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  return JSON.parse(run.stdout);
}

test('a Fincart bulk with a batch waiting for an operator: bulk progress, the batch, retry, then every order', async () => {
  const w = await stack.newWorker();
  const bulk = bulkId('cli-status');
  const orders = ids(`FC-st-${process.pid}-${Date.now()}`, 6);
  stack.sandbox.fincart.seed(orders.map((id) => ({ id, status: 'pending' })));
  // The second batch (orders 4-6) meets a Fincart outage past its retry budget: it waits for an operator.
  stack.sandbox.fincart.injectFault({ route: 'cancel', orderId: orders[3], status: 503, times: Infinity });
  const bc = new BulkClient({ client: stack.env.client, taskQueue: w.taskQueue });
  const batch2 = batchWorkflowId('fincart', bulk, 2);
  const input = { provider: 'fincart' as const, orderIds: orders, reason: { code: 'other' as const }, bulkId: bulk };
  const workflowId = await w.worker.runUntil(async () => {
    const started = await bc.startBulkCancellation({
      ...input,
      batchSize: 3,
      concurrency: 2,
      limits: { callsPerBatch: 1 },
    });
    const batchHandle = stack.env.client.workflow.getHandle(batch2);
    await waitFor(async () => (await batchHandle.query(statusQuery)).awaiting, 'batch 2 to wait for an operator');
    await waitFor(
      async () =>
        (await stack.env.client.workflow.count(`CancelBulkId = "${bulk}" AND CancelState = "AWAITING_OPERATOR"`)).count,
      'visibility to list the waiting batch',
    );

    const running = json(await cli(w.taskQueue, 'status', started.workflowId, '--json'));
    expect(running).toMatchObject({
      kind: 'bulk',
      workflowId: started.workflowId,
      execution: 'RUNNING',
      state: 'RUNNING',
      provider: 'fincart',
      bulkId: bulk,
      progress: { total: 6, done: 3, awaitingOperator: 1, byOutcome: { CANCELLED: 3 } },
      waiting: [{ workflowId: batch2 }],
    });
    expect(running.next).toContain(`npx cancel-orders status ${batch2}    # waits for an operator`);

    const batch = json(await cli(w.taskQueue, 'status', batch2, '--json'));
    expect(batch).toMatchObject({
      kind: 'batch',
      workflowId: batch2,
      state: 'AWAITING_OPERATOR',
      bulkId: bulk,
      batchNo: 2,
      awaiting: { step: 'cancel', abortAllowed: true },
      orders: orders.slice(3).map((orderId) => ({ orderId, workflowId: batch2 })),
    });
    expect((batch.orders as { outcome?: string }[]).every((o) => o.outcome === undefined)).toBe(true);
    expect(batch.next).toEqual(expect.arrayContaining([expect.stringMatching(/^npx cancel-orders retry /)]));
    const human = await cli(w.taskQueue, 'status', batch2);
    expect(human.stdout).toMatch(/waiting: +for an operator on step "cancel"/);
    expect(human.stdout).toMatch(/orders: +3 \(0 with an outcome\)/);

    stack.sandbox.fincart.clearFaults();
    const retry = await cli(w.taskQueue, 'retry', batch2);
    expect(retry.stdout).toContain(`follow: npx cancel-orders status ${batch2}`);
    await started.handle.result();
    return started.workflowId;
  });

  // Ended: no worker needed; each batch's result has its orders' outcomes.
  await waitFor(
    async () =>
      (await stack.env.client.workflow.count(`CancelBulkId = "${bulk}" AND ExecutionStatus = "Completed"`)).count >= 2,
    'visibility to list both batches as completed',
  );
  const done = json(await cli(w.taskQueue, 'status', workflowId, '--orders', '--json'));
  expect(done).toMatchObject({ kind: 'bulk', execution: 'COMPLETED', state: 'DONE', result: { cancelled: 6 } });
  expect(done.orders).toEqual(
    orders.map((orderId, i) =>
      expect.objectContaining({
        orderId,
        outcome: 'CANCELLED',
        workflowId: batchWorkflowId('fincart', bulk, i < 3 ? 1 : 2),
      }),
    ),
  );
  const ended = json(await cli(w.taskQueue, 'status', batch2, '--json'));
  expect(ended).toMatchObject({ kind: 'batch', state: 'DONE', outcome: 'CANCELLED', providerCancelled: true });
  const human = await cli(w.taskQueue, 'status', workflowId, '--orders', '--limit', '2');
  expect(human.stdout).toMatch(/result: +DONE: 6\/6 cancelled/);
  expect(human.stdout).toMatch(/… and 4 more not listed \(over --limit, or not started yet\)/);
});

test('abort of a bulk id stops it (the bulk takes the abort signal); retry of a bulk id points at its children', async () => {
  const w = await stack.newWorker();
  const bulk = bulkId('cli-abort');
  const orders = ids(`fng-ab-${process.pid}-${Date.now()}`, 5);
  stack.sandbox.fungies.seed(orders.map((id) => ({ id, status: 'PENDING' })));
  // A slow provider (20 s in all, one at a time): the bulk still runs while the CLI (seconds per start) steers it.
  for (const id of orders) stack.sandbox.fungies.injectFault({ route: 'cancel', orderId: id, latencyMs: 4_000 });
  const bc = new BulkClient({ client: stack.env.client, taskQueue: w.taskQueue });
  const input = { provider: 'fungies' as const, orderIds: orders, reason: { code: 'other' as const }, bulkId: bulk };
  const result = await w.worker.runUntil(async () => {
    const started = await bc.startBulkCancellation({ ...input, concurrency: 1 });
    const retry = await cli(w.taskQueue, 'retry', started.workflowId);
    expect(retry.code).toBe(1);
    expect(retry.stderr).toBe(
      `error: retry refused: a bulk has nothing to retry; its children waiting for an operator: npx cancel-orders status ${started.workflowId}\n`,
    );
    const abort = await cli(w.taskQueue, 'abort', started.workflowId, '--reason', 'wrong file');
    expect({ code: abort.code, stderr: abort.stderr }).toEqual({ code: 0, stderr: '' });
    expect(abort.stdout).toBe(
      `${started.workflowId}: abort signal sent\n  follow: npx cancel-orders status ${started.workflowId}\n`,
    );
    return started.handle.result();
  });
  expect(result).toMatchObject({ state: 'ABORTED', abort: { reason: 'wrong file' } });
  expect(result.byOutcome.NOT_STARTED).toBeGreaterThan(0);
});

test('list --bulk: a batch with a refused order reads DONE (1 rejected), in aligned columns', async () => {
  const w = await stack.newWorker();
  const bulk = bulkId('cli-list-refused');
  const orders = ids(`FC-lr-${process.pid}-${Date.now()}`, 4);
  // Fincart refuses an order it is already processing: batch 1 ends with one order REJECTED.
  stack.sandbox.fincart.seed(orders.map((id, i) => ({ id, status: i === 1 ? 'processing' : 'pending' })));
  const bc = new BulkClient({ client: stack.env.client, taskQueue: w.taskQueue });
  const input = { provider: 'fincart' as const, orderIds: orders, reason: { code: 'other' as const }, bulkId: bulk };
  await w.worker.runUntil(async () =>
    (await bc.startBulkCancellation({ ...input, batchSize: 2, limits: { callsPerBatch: 1 } })).handle.result(),
  );
  await waitFor(
    async () =>
      (await stack.env.client.workflow.count(`CancelBulkId = "${bulk}" AND ExecutionStatus = "Completed"`)).count >= 2,
    'visibility to list both batches as completed',
  );
  const listed = json(await cli(w.taskQueue, 'list', '--bulk', bulk, '--json'));
  const byBatch = Object.fromEntries(
    (listed.items as { workflowId: string; orders?: unknown }[]).map((i) => [i.workflowId, i.orders]),
  );
  expect(byBatch[batchWorkflowId('fincart', bulk, 1)]).toEqual({ total: 2, byOutcome: { CANCELLED: 1, REJECTED: 1 } });
  expect(byBatch[batchWorkflowId('fincart', bulk, 2)]).toEqual({ total: 2, byOutcome: { CANCELLED: 2 } });

  const human = await cli(w.taskQueue, 'list', '--bulk', bulk);
  const lines = human.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^STARTED +STATE +EXECUTION +WORKFLOW +BULK$/);
  expect(lines.find((l) => l.includes(`${batchWorkflowId('fincart', bulk, 1)} `))).toMatch(
    / DONE \(1 rejected\) +COMPLETED /,
  );
  expect(lines.find((l) => l.includes(`${batchWorkflowId('fincart', bulk, 2)} `))).toMatch(/ DONE +COMPLETED /);
  // Aligned: the workflow column starts at the same place on every row.
  const at = lines.slice(0, -1).map((l) => l.indexOf(l.includes('STARTED') ? 'WORKFLOW' : 'bulk-cancel:'));
  expect(new Set(at).size).toBe(1);
});
