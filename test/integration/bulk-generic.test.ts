import { CancellationClient } from '../../src/client/cancellation-client';
import { BulkClient } from '../../src/client/bulk-client';
import { retrySignal } from '../../src/contract';
import { useTestStack } from '../helpers/stack';
import { bulkId, ids } from '../helpers/bulk';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();

it('fungies: one cancelOrder per order, mixed outcomes, an operator wait counted and listable, a running cancel attached', async () => {
  const bid = bulkId('fg');
  const all = ids(`FG${bid.slice(-6)}`, 40);
  const [shipped, gone, unknown, refused, stuck, running] = [all[0], all[1], all[2], all[3], all[4], all[5]];
  const fungies = stack.sandbox.fungies;
  fungies.seed(
    all
      .filter((id) => id !== unknown)
      .map((id) => ({ id, status: id === shipped ? 'FULFILLED' : id === gone ? 'CANCELLED' : 'PAID' })),
  );
  fungies.injectFault({
    route: 'cancel',
    orderId: refused,
    status: 422,
    body: JSON.stringify({ status: 'error', error: { message: 'Order is locked' } }),
  });
  fungies.injectFault({ route: 'cancel', orderId: stuck, status: 503, times: Infinity });
  fungies.injectFault({ route: 'cancel', orderId: running, status: 503, times: Infinity });
  const w = await stack.newWorker();
  const single = new CancellationClient({ client: stack.env.client, taskQueue: w.taskQueue });
  const bulk = new BulkClient({ client: stack.env.client, taskQueue: w.taskQueue });

  const result = await w.worker.runUntil(async () => {
    // A single cancel of one of the orders is already running (waiting for an operator): the bulk must not start another.
    const one = await single.startCancellation({ provider: 'fungies', orderId: running, reason: { code: 'fraud' } });
    await waitFor(
      async () => (await single.getStatus(one.workflowId)).state === 'AWAITING_OPERATOR',
      'single cancel awaiting',
    );
    const started = await bulk.startBulkCancellation({
      provider: 'fungies',
      bulkId: bid,
      orderIds: [...all, all[7]],
      reason: { code: 'fraud' },
      concurrency: 8,
    });
    expect(started.duplicatesRemoved).toBe(1);
    // The stuck child waits for an operator: counted in progress and found by its search attributes.
    await waitFor(
      async () => (await bulk.getBulkProgress(started.workflowId)).awaitingOperator === 1,
      'awaitingOperator = 1',
    );
    const listed = await waitFor(async () => {
      const l = await single.list({ bulkId: bid, state: 'AWAITING_OPERATOR' });
      return l.length === 1 ? l : undefined;
    }, 'listed by CancelBulkId + CancelState');
    expect(listed[0].workflowId).toBe(`cancel:fungies:${stuck}`);
    const p = await bulk.getBulkProgress(started.workflowId);
    expect(p).toMatchObject({ total: 40, state: 'RUNNING' });
    expect(p.inFlight).toBeGreaterThanOrEqual(1);
    fungies.clearFaults();
    await stack.env.client.workflow.getHandle(`cancel:fungies:${stuck}`).signal(retrySignal, { by: 'test' });
    const r = await started.handle.result();
    await single.abort(one.workflowId, 'test cleanup');
    return r;
  });

  expect(result.state).toBe('DONE');
  expect(result.byOutcome).toEqual({
    CANCELLED: 35,
    NOT_ELIGIBLE: 2,
    ALREADY_CANCELLED: 1,
    REJECTED: 1,
    ALREADY_RUNNING: 1,
  });
  const why = Object.fromEntries(result.notCancelled.map((n) => [n.orderId, `${n.outcome}: ${n.reason}`]));
  expect(Object.keys(why).sort()).toEqual([shipped, unknown, refused, running].sort());
  expect(why[running]).toMatch(/^ALREADY_RUNNING: .*already running as cancel:fungies:/);
  expect(why[refused]).toMatch(/^REJECTED: .*Order is locked/);
  // Each cancellable order was cancelled once; the refused one kept its status.
  for (const id of all.slice(6)) {
    expect(fungies.requestsFor('cancel', id).filter((r) => r.responseStatus === 200)).toHaveLength(1);
    expect(fungies.orders.get(id)?.status).toBe('CANCELLED');
  }
  expect(fungies.requestsFor('cancel', stuck).filter((r) => r.responseStatus === 200)).toHaveLength(1);
  // Children carry the bulk id and a summary naming it.
  const desc = await stack.env.client.workflow.getHandle(`cancel:fungies:${all[10]}`).describe();
  expect(desc.searchAttributes).toMatchObject({ CancelBulkId: [bid], CancelState: ['CANCELLED'] });
  expect(await desc.staticSummary()).toContain(`Bulk ${bid}`);
});

it('abort mid-way: nothing more starts, in-flight children before their pivot abort, nothing is cancelled twice', async () => {
  const bid = bulkId('abort');
  const all = ids(`AB${bid.slice(-6)}`, 60);
  const fungies = stack.sandbox.fungies;
  fungies.seed(all.map((id) => ({ id, status: 'PAID' })));
  fungies.latencyMs = 150;
  const w = await stack.newWorker();
  const bulk = new BulkClient({ client: stack.env.client, taskQueue: w.taskQueue });
  try {
    const result = await w.worker.runUntil(async () => {
      const started = await bulk.startBulkCancellation({
        provider: 'fungies',
        bulkId: bid,
        orderIds: all,
        reason: { code: 'staff' },
        concurrency: 4,
      });
      await waitFor(async () => (await bulk.getBulkProgress(started.workflowId)).done >= 8, '8 orders done', 60_000);
      await bulk.abortBulk(started.workflowId, 'wrong list', 'ops');
      const p = await waitFor(async () => {
        const q = await bulk.getBulkProgress(started.workflowId);
        return q.state === 'ABORTING' ? q : undefined;
      }, 'ABORTING');
      expect(p.inFlight).toBeLessThanOrEqual(4);
      return started.handle.result();
    });
    expect(result.state).toBe('ABORTED');
    expect(result.abort).toEqual({ reason: 'wrong list', by: 'ops' });
    const by = result.byOutcome;
    expect((by.CANCELLED ?? 0) + (by.ABORTED ?? 0) + (by.NOT_STARTED ?? 0)).toBe(60);
    expect(by.NOT_STARTED ?? 0).toBeGreaterThanOrEqual(40);
    const cancelledAtProvider = all.filter((id) => fungies.orders.get(id)?.status === 'CANCELLED');
    // Aborted children never reached the provider; the ones past the pivot finished their steps.
    expect(cancelledAtProvider.length).toBe(by.CANCELLED);
    for (const id of all)
      expect(fungies.requestsFor('cancel', id).filter((r) => r.responseStatus === 200).length).toBeLessThanOrEqual(1);
    const notStarted = result.notCancelled.filter((n) => n.outcome === 'NOT_STARTED').map((n) => n.orderId);
    for (const id of notStarted) {
      expect(fungies.requestsFor('lookup', id)).toHaveLength(0);
      expect(stack.sandbox.merchant.typesFor(id)).toEqual([]);
    }
    for (const n of result.notCancelled.filter((x) => x.outcome === 'ABORTED')) {
      expect(stack.sandbox.merchant.typesFor(n.orderId)).toEqual(expect.arrayContaining(['cancellation.aborted']));
    }
  } finally {
    fungies.latencyMs = 0;
  }
});
