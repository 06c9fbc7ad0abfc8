import { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { CancellationClient, InvalidInputError } from '../../src/client/cancellation-client';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();
const reason = { code: 'customer_request' as const };
const uniq = (name: string) => `${name}-${process.pid}-${Date.now()}`;

async function setup() {
  const { worker, taskQueue } = await stack.newWorker();
  return { worker, taskQueue, client: new CancellationClient({ client: stack.env.client, taskQueue }) };
}

it('an eligible order is ACCEPTED once held; the saga then finishes CANCELLED with one cancel at the provider', async () => {
  const { worker, client } = await setup();
  const orderId = uniq('early-paid');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PAID', paid: true }]);
  const { answer, result } = await worker.runUntil(async () => {
    const answer = await client.requestCancellation({ provider: 'fungies', orderId, reason });
    return { answer, result: await client.result(answer.workflowId) };
  });
  expect(answer).toMatchObject({
    accepted: true,
    verdict: 'ACCEPTED',
    workflowId: `cancel:fungies:${orderId}`,
    state: 'CANCELLING_AT_PROVIDER',
  });
  const desc = await stack.env.client.workflow.getHandle(answer.workflowId).describe();
  expect(answer.runId).toBe(desc.runId);
  expect(result.outcome).toBe('CANCELLED');
  expect(stack.sandbox.fungies.requestsFor('cancel', orderId)).toHaveLength(1);
  expect(stack.sandbox.merchant.typesFor(orderId)).toEqual([
    'cancellation.hold_requested',
    'cancellation.refund_requested',
    'cancellation.restock_requested',
    'cancellation.completed',
  ]);
  expect(desc.searchAttributes).toMatchObject({ CancelState: ['CANCELLED'] });
});

it('NOT_ELIGIBLE, ALREADY_CANCELLED and a refused hold come back as verdicts; nothing is cancelled', async () => {
  const { worker, client } = await setup();
  const shipped = uniq('F237-shipped');
  const cancelled = uniq('EV-cancelled');
  const refusedHold = uniq('fng-refused-hold');
  stack.sandbox.fastpod.seed([{ id: shipped, status: 'shipped' }]);
  stack.sandbox.evitalrx.seed([{ id: cancelled, status: 'cancelled' }]);
  stack.sandbox.fungies.seed([{ id: refusedHold, status: 'PAID' }]);
  // The merchant answers 409 to the hold: refused, not retried.
  stack.sandbox.merchant.injectFault({ route: 'cancellation.hold_requested', orderId: refusedHold, status: 409 });
  const [notEligible, already, rejected] = await worker.runUntil(
    Promise.all([
      client.requestCancellation({ provider: 'fastpod', orderId: shipped, reason }),
      client.requestCancellation({ provider: 'evitalrx', orderId: cancelled, reason }),
      client.requestCancellation({ provider: 'fungies', orderId: refusedHold, reason }),
    ]),
  );
  expect(rejected).toMatchObject({ accepted: false, verdict: 'REJECTED', state: 'REJECTED' });
  expect(rejected.message).toMatch(/merchant refused the hold/);
  expect(stack.sandbox.fungies.requestsFor('cancel', refusedHold)).toHaveLength(0);
  expect(notEligible).toMatchObject({ accepted: false, verdict: 'NOT_ELIGIBLE', state: 'NOT_ELIGIBLE' });
  expect(notEligible.message).toMatch(/shipped/);
  expect(already).toMatchObject({ accepted: false, verdict: 'ALREADY_CANCELLED', state: 'ALREADY_CANCELLED' });
  expect(stack.sandbox.fastpod.requestsFor('cancel', shipped)).toHaveLength(0);
  expect(stack.sandbox.evitalrx.requestsFor('cancel', cancelled)).toHaveLength(0);
  expect(stack.sandbox.merchant.typesFor(shipped)).toEqual(['cancellation.not_eligible']);
});

it('the same order requested twice attaches to one run; the verdict given first stands', async () => {
  const { worker, client } = await setup();
  const orderId = uniq('F237-twice');
  stack.sandbox.fastpod.seed([{ id: orderId, status: 'new_order' }]);
  // The provider is down for one retry budget: the run waits for an operator after the pivot's attempts.
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId, status: 503, times: 3 });
  const { first, second, result } = await worker.runUntil(async () => {
    const first = await client.requestCancellation({ provider: 'fastpod', orderId, reason });
    await waitFor(async () => (await client.getStatus(first.workflowId)).state === 'AWAITING_OPERATOR', 'operator');
    const second = await client.requestCancellation({ provider: 'fastpod', orderId, reason: { code: 'duplicate' } });
    await client.retry(first.workflowId, 'test');
    return { first, second, result: await client.result(first.workflowId) };
  });
  expect(first).toMatchObject({ verdict: 'ACCEPTED', accepted: true });
  expect(second).toMatchObject({ verdict: 'ACCEPTED', workflowId: first.workflowId, runId: first.runId });
  // The second request attached: it says so, and that its reason is not the one that applies.
  expect(second).toMatchObject({ started: false, attachedTo: { runId: first.runId, reason } });
  expect(second.attachedTo?.differences).toEqual(['reason.code: "duplicate" (asked) vs "customer_request" (running)']);
  expect(result.outcome).toBe('CANCELLED');
  expect(stack.sandbox.merchant.typesFor(orderId).filter((t) => t === 'cancellation.hold_requested')).toHaveLength(1);
  // Three refused attempts and the operator's retry: one cancellation, never a second saga.
  expect(stack.sandbox.fastpod.requestsFor('cancel', orderId)).toHaveLength(4);
});

it('a run waiting for an operator before the hold answers AWAITING_OPERATOR, to every request, until retried', async () => {
  const { worker, client } = await setup();
  const orderId = uniq('fng-hold-down');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PAID' }]);
  stack.sandbox.merchant.injectFault({ route: 'cancellation.hold_requested', orderId, status: 503, times: 3 });
  const { waiting, again, result } = await worker.runUntil(async () => {
    const waiting = await client.requestCancellation({ provider: 'fungies', orderId, reason });
    const again = await client.requestCancellation({ provider: 'fungies', orderId, reason });
    await client.retry(waiting.workflowId, 'test');
    return { waiting, again, result: await client.result(waiting.workflowId) };
  });
  expect(waiting).toMatchObject({ accepted: false, verdict: 'AWAITING_OPERATOR', state: 'AWAITING_OPERATOR' });
  expect(waiting.message).toMatch(/step hold waits for an operator/);
  expect(again).toMatchObject({ verdict: 'AWAITING_OPERATOR', runId: waiting.runId });
  expect(result.outcome).toBe('CANCELLED');
  expect(stack.sandbox.fungies.requestsFor('cancel', orderId)).toHaveLength(1);
});

it('after a cancellation completed, a new request starts nothing and answers ALREADY_CANCELLED from that run', async () => {
  const { worker, client } = await setup();
  const orderId = uniq('fng-done');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PENDING' }]);
  const { first, again, forced } = await worker.runUntil(async () => {
    const first = await client.requestCancellation({ provider: 'fungies', orderId, reason });
    await client.result(first.workflowId);
    const again = await client.requestCancellation({ provider: 'fungies', orderId, reason });
    // `again: true` starts a new run anyway: the provider's lookup shows the order cancelled.
    const forced = await client.requestCancellation({ provider: 'fungies', orderId, reason }, { again: true });
    return { first, again, forced };
  });
  expect(first).toMatchObject({ verdict: 'ACCEPTED', started: true });
  expect(again).toMatchObject({
    verdict: 'ALREADY_CANCELLED',
    workflowId: first.workflowId,
    runId: first.runId,
    started: false,
    alreadyCancelled: { runId: first.runId, outcome: 'CANCELLED' },
  });
  expect(forced).toMatchObject({ verdict: 'ALREADY_CANCELLED', started: true });
  expect(forced.runId).not.toBe(first.runId);
  expect(stack.sandbox.fungies.requestsFor('cancel', orderId)).toHaveLength(1);
});

it('bad input is refused naming the field, before anything starts', async () => {
  // No worker: nothing may reach the server.
  const client = new CancellationClient({ client: stack.env.client, taskQueue: 'early-bad-input' });
  const orderId = uniq('bad');
  await expect(
    client.requestCancellation({ provider: 'fungies', orderId, reason: { code: 'because' } }),
  ).rejects.toThrow(InvalidInputError);
  await expect(client.requestCancellation({ provider: 'nope', orderId, reason })).rejects.toThrow(
    /^invalid cancellation: provider:/,
  );
  await expect(stack.env.client.workflow.getHandle(`cancel:fungies:${orderId}`).describe()).rejects.toThrow(
    WorkflowNotFoundError,
  );
});

it('with eager start (client on the worker’s connection) the answers are the same', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const sameProcess = new Client({ connection: stack.env.nativeConnection, namespace: 'default' });
  const client = new CancellationClient({ client: sameProcess, taskQueue, eagerStart: true });
  const orderId = uniq('fng-eager');
  const shipped = uniq('F237-eager-shipped');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PAID' }]);
  stack.sandbox.fastpod.seed([{ id: shipped, status: 'shipped' }]);
  const { answer, refused, result } = await worker.runUntil(async () => {
    const answer = await client.requestCancellation({ provider: 'fungies', orderId, reason });
    // An in-process run can end before the update reaches it: then the answer comes from its result.
    const refused = await client.requestCancellation({ provider: 'fastpod', orderId: shipped, reason });
    return { answer, refused, result: await client.result(answer.workflowId) };
  });
  expect(answer).toMatchObject({ accepted: true, verdict: 'ACCEPTED', state: 'CANCELLING_AT_PROVIDER' });
  expect(refused).toMatchObject({ accepted: false, verdict: 'NOT_ELIGIBLE', workflowId: `cancel:fastpod:${shipped}` });
  expect(result.outcome).toBe('CANCELLED');
  expect(stack.sandbox.fungies.requestsFor('cancel', orderId)).toHaveLength(1);
});
