import { CancellationClient } from '../../src/client/cancellation-client';
import type { CancelStatus } from '../../src/contract';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();
beforeEach(() => stack.sandbox.reset());

const reason = { code: 'customer_request' };

async function setup() {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  return { worker, client };
}

/** Wait until the `status` query says the workflow waits for an operator. */
function awaitingOperator(client: CancellationClient, workflowId: string): Promise<CancelStatus> {
  return waitFor(async () => {
    const s = await client.getStatus(workflowId);
    return s.state === 'AWAITING_OPERATOR' ? s : undefined;
  }, `${workflowId} to await an operator`);
}

it('exhausted retries wait for an operator (visible in the UI filter), then retry cancels the order', async () => {
  const { worker, client } = await setup();
  stack.sandbox.fungies.seed([{ id: 'fng-retry', status: 'PENDING' }]);
  stack.sandbox.fungies.injectFault({ route: 'cancel', orderId: 'fng-retry', status: 503, times: 3 });
  const result = await worker.runUntil(async () => {
    const handle = await client.startCancellation({ provider: 'fungies', orderId: 'fng-retry', reason });
    const status = await awaitingOperator(client, handle.workflowId);
    expect(status.awaiting).toMatchObject({
      step: 'cancel',
      abortAllowed: true,
      error: { type: 'ProviderTransientError' },
    });
    expect(status.steps.find((s) => s.name === 'cancel')).toMatchObject({ status: 'failed', attempts: 3 });
    // What an operator filters on in the Web UI.
    const listed = await waitFor(
      async () =>
        (await client.list({ state: 'AWAITING_OPERATOR', provider: 'fungies' })).find(
          (w) => w.workflowId === handle.workflowId,
        ),
      'the visibility store to show AWAITING_OPERATOR',
    );
    expect(listed.orderId).toBe('fng-retry');
    const desc = await handle.describe();
    expect(await desc.staticSummary()).toBe('Cancel fungies order fng-retry — customer_request');
    expect(stack.sandbox.merchant.typesFor('fng-retry')).toContain('cancellation.needs_attention');
    // The Web UI's "current details" tell the operator what happened and what they can do.
    const meta = await handle.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(meta.currentDetails).toContain('**State:** `AWAITING_OPERATOR`');
    expect(meta.currentDetails).toContain('ProviderTransientError');
    expect(meta.currentDetails).toMatch(/signal `retry` to run `cancel` again/);
    await handle.signal('retry', { by: 'ops@example.com' });
    return handle.result();
  });
  expect(result.outcome).toBe('CANCELLED');
  expect(result.attempts).toBe(4);
  expect(stack.sandbox.fungies.requestsFor('cancel', 'fng-retry').map((r) => r.responseStatus)).toEqual([
    503, 503, 503, 200,
  ]);
});

it('abort before the pivot releases the hold and ends ABORTED; the order stays open at the provider', async () => {
  const { worker, client } = await setup();
  stack.sandbox.fastpod.seed([{ id: 'F237-120723-000030', status: 'on_hold' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'F237-120723-000030', status: 500, times: 3 });
  const result = await worker.runUntil(async () => {
    const handle = await client.startCancellation({ provider: 'fastpod', orderId: 'F237-120723-000030', reason });
    await awaitingOperator(client, handle.workflowId);
    expect(await client.abort(handle.workflowId, 'customer changed their mind again', 'ops')).toBe('abort accepted');
    return handle.result();
  });
  expect(result.outcome).toBe('ABORTED');
  expect(result.providerCancelled).toBe(false);
  expect(result.message).toContain('customer changed their mind again');
  expect(stack.sandbox.fastpod.orders.get('F237-120723-000030')?.status).toBe('on_hold');
  expect(stack.sandbox.merchant.typesFor('F237-120723-000030')).toEqual([
    'cancellation.hold_requested',
    'cancellation.needs_attention',
    'cancellation.hold_released',
    'cancellation.aborted',
  ]);
});

it('a Temporal cancellation (UI "Cancel") behaves like abort', async () => {
  const { worker, client } = await setup();
  stack.sandbox.evitalrx.seed([{ id: 'EV-cancel-me', status: 'assigned' }]);
  stack.sandbox.evitalrx.injectFault({ route: 'cancel', orderId: 'EV-cancel-me', status: 502, times: 3 });
  const result = await worker.runUntil(async () => {
    const handle = await client.startCancellation({ provider: 'evitalrx', orderId: 'EV-cancel-me', reason });
    await awaitingOperator(client, handle.workflowId);
    await handle.cancel();
    return handle.result();
  });
  expect(result.outcome).toBe('ABORTED');
  expect(result.message).toContain('Temporal cancellation');
  expect(stack.sandbox.merchant.typesFor('EV-cancel-me')).toContain('cancellation.hold_released');
});

it('after the pivot, the abort update is refused with the reason; the abort signal skips what is left', async () => {
  const { worker, client } = await setup();
  stack.sandbox.fungies.seed([{ id: 'fng-paid', status: 'PAID' }]);
  // The merchant's refund endpoint is down: the workflow waits for an operator after the provider cancelled.
  stack.sandbox.merchant.injectFault({
    route: 'cancellation.refund_requested',
    orderId: 'fng-paid',
    status: 503,
    times: 3,
  });
  const result = await worker.runUntil(async () => {
    const handle = await client.startCancellation({ provider: 'fungies', orderId: 'fng-paid', reason });
    const status = await awaitingOperator(client, handle.workflowId);
    expect(status).toMatchObject({ providerCancelled: true, awaiting: { step: 'refund', abortAllowed: false } });
    await expect(client.abort(handle.workflowId, 'stop it')).rejects.toThrow(/provider already cancelled the order/);
    await expect(client.retry('cancel:fungies:no-such-order')).rejects.toThrow();
    await handle.signal('abort', { reason: 'refund handled by hand', by: 'ops' });
    return handle.result();
  });
  expect(result.outcome).toBe('ABORTED');
  expect(result.providerCancelled).toBe(true);
  expect(result.message).toMatch(/cannot be undone.*skipped: refund, restock, markCancelled/);
  expect(result.steps.filter((s) => s.status === 'skipped').map((s) => s.name)).toEqual([
    'refund',
    'restock',
    'markCancelled',
  ]);
  expect(stack.sandbox.fungies.orders.get('fng-paid')?.status).toBe('CANCELLED');
  expect(stack.sandbox.merchant.typesFor('fng-paid')).not.toContain('cancellation.hold_released');
});

it('the retry update is refused when nothing waits; operatorTimeout aborts an unattended cancellation', async () => {
  const { worker, client } = await setup();
  stack.sandbox.fastpod.seed([{ id: 'F237-120723-000040', status: 'draft' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'F237-120723-000040', status: 500, times: 3 });
  const result = await worker.runUntil(async () => {
    const handle = await client.startCancellation({
      provider: 'fastpod',
      orderId: 'F237-120723-000040',
      reason,
      options: { operatorTimeout: '2s' },
    });
    await expect(client.retry(handle.workflowId)).rejects.toThrow(/nothing to retry/);
    return handle.result();
  });
  expect(result.outcome).toBe('ABORTED');
  expect(result.message).toContain('no operator answer within 2 s');
});

it('starting the same order twice attaches to the running cancellation: one provider cancel', async () => {
  const { worker, client } = await setup();
  stack.sandbox.fastpod.seed([{ id: 'F237-120723-000050', status: 'new_order' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'F237-120723-000050', latencyMs: 500 });
  const [a, b] = await worker.runUntil(async () => {
    const input = { provider: 'fastpod', orderId: 'F237-120723-000050', reason };
    const [h1, h2] = await Promise.all([client.startCancellation(input), client.startCancellation(input)]);
    expect(h1.firstExecutionRunId).toMatch(/^[0-9a-f-]{36}$/);
    expect(h2.firstExecutionRunId).toBe(h1.firstExecutionRunId);
    return Promise.all([h1.result(), h2.result()]);
  });
  expect(a.outcome).toBe('CANCELLED');
  expect(b).toEqual(a);
  expect(stack.sandbox.fastpod.requestsFor('cancel', 'F237-120723-000050')).toHaveLength(1);
  expect(
    stack.sandbox.merchant.typesFor('F237-120723-000050').filter((t) => t === 'cancellation.completed'),
  ).toHaveLength(1);
});

it('a worker stopped mid-cancel and replaced completes the cancellation; the order is cancelled once', async () => {
  stack.sandbox.fastpod.seed([{ id: 'F237-120723-000060', status: 'new_order' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'F237-120723-000060', latencyMs: 1500 });
  // As the worker runs in production (SHUTDOWN_GRACE_MS): a stop lets the provider call in flight finish.
  const first = await stack.newWorker({}, undefined, { shutdownGraceTime: '20s' });
  const client = new CancellationClient({ client: stack.env.client, taskQueue: first.taskQueue });
  const running = first.worker.run();
  const handle = await client.startCancellation({ provider: 'fastpod', orderId: 'F237-120723-000060', reason });
  await waitFor(() => stack.sandbox.fastpod.requestsFor('cancel', 'F237-120723-000060').length > 0, 'the cancel call');
  first.worker.shutdown();
  await running;
  const second = await stack.newWorker({}, first.taskQueue);
  const result = await second.worker.runUntil(handle.result());
  expect(result.outcome).toBe('CANCELLED');
  const answers = stack.sandbox.fastpod.requestsFor('cancel', 'F237-120723-000060').map((r) => r.responseStatus);
  // Exactly one call changed the order; a repeat (if the first answer was lost) is answered as refused-but-cancelled.
  expect(answers.filter((s) => s === 200)).toHaveLength(1);
  expect(stack.sandbox.fastpod.orders.get('F237-120723-000060')?.status).toBe('cancelled');
  expect(
    stack.sandbox.merchant.typesFor('F237-120723-000060').filter((t) => t === 'cancellation.completed'),
  ).toHaveLength(1);
  const desc = await handle.describe();
  expect(desc.searchAttributes.CancelState).toEqual(['CANCELLED']);
});
