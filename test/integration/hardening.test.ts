import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { CancellationClient } from '../../src/client/cancellation-client';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// Defects found by crash, fault and bad-input probes (issue 14), each pinned by what a user would observe.
const stack = useTestStack();
beforeEach(() => stack.sandbox.reset());

const reason = { code: 'customer_request' };

test('a second run of the same order sends fresh idempotency keys, so the merchant records its events', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const input = { provider: 'fincart', orderId: 'FC-rerun', reason, snapshot: { status: 'pending' } };
  stack.sandbox.fincart.seed([{ id: 'FC-rerun', status: 'processing' }]);
  const [first, second] = await worker.runUntil(async () => {
    const r1 = await (await client.startCancellation(input)).result();
    stack.sandbox.fincart.seed([{ id: 'FC-rerun', status: 'pending' }]);
    const r2 = await (await client.startCancellation(input)).result();
    return [r1, r2];
  });
  expect(first.outcome).toBe('REJECTED');
  expect(second.outcome).toBe('CANCELLED');
  const merchant = stack.sandbox.merchant;
  expect(merchant.duplicates).toBe(0);
  expect(merchant.typesFor('FC-rerun')).toEqual([
    'cancellation.hold_requested',
    'cancellation.hold_released',
    'cancellation.rejected',
    'cancellation.hold_requested',
    'cancellation.restock_requested',
    'cancellation.completed',
  ]);
  const keys = merchant.events.map((e) => e.idempotencyKey);
  expect(new Set(keys).size).toBe(keys.length);
  // One key per run and step: `<workflowId>/<first run id>/<step>`.
  expect(keys[0]).toMatch(/^cancel:fincart:FC-rerun\/[0-9a-f-]{36}\/hold$/);
});

test('an operator timeout too large for a date fails the workflow at once (InvalidRequestError), never wedges it', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  stack.sandbox.fastpod.seed([{ id: 'FP-huge-timeout', status: 'new_order' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'FP-huge-timeout', status: 503, times: Infinity });
  // Started past the client's validation, as an older client or another language would.
  const err = await worker.runUntil(async () => {
    const handle = await stack.env.client.workflow.start('cancelOrder', {
      taskQueue,
      workflowId: 'cancel:fastpod:FP-huge-timeout',
      args: [
        { provider: 'fastpod', orderId: 'FP-huge-timeout', reason, options: { operatorTimeout: '99999999999999d' } },
      ],
    });
    return handle.result().catch((e: unknown) => e);
  });
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const cause = (err as WorkflowFailedError).cause as ApplicationFailure;
  expect(cause.type).toBe('InvalidRequestError');
  expect(cause.message).toBe('invalid cancelOrder input: options.operatorTimeout: must be at most 365d');
  expect(stack.sandbox.fastpod.requestsFor('cancel')).toHaveLength(0);
});

test('an order id in Cyrillic is cancelled end to end (percent-encoded in the path and in the Idempotency-Key)', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  stack.sandbox.fungies.seed([{ id: 'заказ-1', status: 'PENDING' }]);
  const result = await worker.runUntil(async () =>
    (await client.startCancellation({ provider: 'fungies', orderId: 'заказ-1', reason })).result(),
  );
  expect(result.outcome).toBe('CANCELLED');
  expect(stack.sandbox.fungies.orders.get('заказ-1')?.status).toBe('CANCELLED');
  expect(stack.sandbox.merchant.typesFor('заказ-1')).toEqual([
    'cancellation.hold_requested',
    'cancellation.restock_requested',
    'cancellation.completed',
  ]);
  const [hold] = stack.sandbox.merchant.events;
  expect(hold.idempotencyKey).toMatch(/^cancel:fungies:%D0%B7%D0%B0%D0%BA%D0%B0%D0%B7-1\/[0-9a-f-]{36}\/hold$/);
  expect(decodeURIComponent(hold.idempotencyKey)).toBe(hold.id);
});

test('Retry-After is capped at the policy’s maximum interval: an exhausted budget reaches an operator', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  stack.sandbox.fastpod.seed([{ id: 'FP-retry-after', status: 'new_order' }]);
  stack.sandbox.fastpod.injectFault({
    route: 'cancel',
    orderId: 'FP-retry-after',
    status: 503,
    retryAfter: '3600',
    times: Infinity,
  });
  await worker.runUntil(async () => {
    const h = await client.startCancellation({ provider: 'fastpod', orderId: 'FP-retry-after', reason });
    const s = await waitFor(async () => {
      const st = await client.getStatus(h.workflowId);
      return st.state === 'AWAITING_OPERATOR' ? st : undefined;
    }, 'AWAITING_OPERATOR after 3 capped attempts');
    expect(s.awaiting?.error?.message).toMatch(/asked to wait 3600 s \(Retry-After\); retried after 50 ms/);
    expect(stack.sandbox.fastpod.requestsFor('cancel')).toHaveLength(3);
    await client.abort(h.workflowId, 'test done');
    expect((await h.result()).outcome).toBe('ABORTED');
  });
});

test('while a step waits for its next attempt, status and current details show the last error and when', async () => {
  const { worker, taskQueue } = await stack.newWorker({
    FASTPOD_RETRY_MAX_ATTEMPTS: '5',
    FASTPOD_RETRY_MAX_INTERVAL_MS: '600000',
  });
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  stack.sandbox.fastpod.seed([{ id: 'FP-visible', status: 'new_order' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'FP-visible', status: 429, retryAfter: '3600' });
  await worker.runUntil(async () => {
    const h = await client.startCancellation({ provider: 'fastpod', orderId: 'FP-visible', reason });
    const before = Date.now();
    const cancel = await waitFor(async () => {
      const step = (await client.getStatus(h.workflowId)).steps.find((s) => s.name === 'cancel');
      return step?.lastError && step;
    }, 'the failed attempt in status');
    expect(cancel).toMatchObject({ status: 'running', lastError: { type: 'ProviderTransientError' } });
    expect(cancel.lastError?.message).toMatch(/^fastpod: HTTP 429.*asked to wait 3600 s \(Retry-After\)/);
    const at = /^attempt 1 failed; next attempt at (\S+)$/.exec(cancel.note ?? '');
    expect(at).not.toBeNull();
    const next = Date.parse(at?.[1] ?? '');
    expect(next).toBeGreaterThan(before + 500_000); // capped at the 600 s maximum interval, not 3600 s
    expect(next).toBeLessThan(Date.now() + 601_000);
    const meta = await h.query<{ currentDetails: string }>('__temporal_workflow_metadata');
    expect(meta.currentDetails).toContain('**Last error:** `ProviderTransientError` — fastpod: HTTP 429');
    expect(meta.currentDetails).toContain(`next attempt at ${at?.[1]}`);
    expect(meta.currentDetails).toContain(
      '**Steps:** eligibility: done (1 attempt) · hold: done (1 attempt) · cancel: running',
    );
    await client.abort(h.workflowId, 'test done');
    expect((await h.result()).outcome).toBe('ABORTED');
  });
});
