import fc from 'fast-check';
import { WorkflowFailedError, type Client, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { CancellationClient, InvalidInputError } from '../../src/client/cancellation-client';
import { checkBulkInput, checkCancelOrderInput } from '../../src/contract';
import { params } from '../helpers/fuzz';
import { BULK_FIELD, CANCEL_FIELD, bulkInput, cancelInput } from '../helpers/input-arbs';
import { useTestStack } from '../helpers/stack';

const EventType = temporal.api.enums.v1.EventType;
const stack = useTestStack();

let n = 0;
const runId = `${process.pid}-${Date.now()}`;

/** The outcome of a started workflow: its result, its failure, or 'waiting' (for an operator) after `ms`. */
async function settle(
  handle: WorkflowHandle,
  ms = 30_000,
): Promise<{ ok: unknown } | { failure: unknown } | 'waiting'> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), ms)));
  const done = handle.result().then(
    (ok: unknown) => ({ ok }),
    (failure: unknown) => ({ failure }),
  );
  const first = await Promise.race([done, late]);
  clearTimeout(timer);
  if (first !== 'late') return first;
  const state = await handle.query<{ state: string }>('status').catch(() => undefined);
  if (state?.state !== 'AWAITING_OPERATOR')
    throw new Error(`${handle.workflowId} is stuck (${state?.state ?? 'no answer'})`);
  await handle.terminate('fuzz: waiting for an operator is a legitimate end');
  return 'waiting';
}

/** The history's event types: no workflow task failure, and (for refusals) nothing scheduled. */
async function eventTypes(client: Client, workflowId: string): Promise<number[]> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).map((e) => e.eventType ?? 0);
}

/** A refusal by the workflow: InvalidRequestError naming the field, before any activity or child. */
async function expectRefusedEarly(client: Client, workflowId: string, failure: unknown, prefix: string, field: RegExp) {
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  const cause = (failure as WorkflowFailedError).cause as ApplicationFailure;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect(cause.type).toBe('InvalidRequestError');
  expect(cause.message.startsWith(prefix)).toBe(true);
  expect(cause.message.slice(prefix.length)).toMatch(field);
  const types = await eventTypes(client, workflowId);
  expect(types).not.toContain(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED);
  expect(types).not.toContain(EventType.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED);
}

test('raw starts of cancelOrder by name: refused with InvalidRequestError naming the field, or run to an end', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = stack.env.client;
  await worker.runUntil(
    fc.assert(
      fc.asyncProperty(cancelInput, async (raw) => {
        const workflowId = `fuzz-cancel-${runId}-${++n}`;
        const handle = await client.workflow.start('cancelOrder', { taskQueue, workflowId, args: [raw] });
        const end = await settle(handle);
        expect(await eventTypes(client, workflowId)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
        const accepted = checkCancelOrderInput(raw).ok;
        if (end !== 'waiting' && 'failure' in end) {
          expect(accepted).toBe(false);
          await expectRefusedEarly(client, workflowId, end.failure, 'invalid cancelOrder input: ', CANCEL_FIELD);
        } else expect(accepted).toBe(true);
      }),
      params(40),
    ),
  );
});

test('raw starts of bulkCancelOrders by name: refused early naming the field, or run to an end', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = stack.env.client;
  await worker.runUntil(
    fc.assert(
      fc.asyncProperty(bulkInput, async (raw) => {
        const workflowId = `fuzz-bulk-${runId}-${++n}`;
        const handle = await client.workflow.start('bulkCancelOrders', { taskQueue, workflowId, args: [raw] });
        const end = await settle(handle, 60_000);
        expect(await eventTypes(client, workflowId)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
        const accepted = checkBulkInput(raw).ok;
        if (end !== 'waiting' && 'failure' in end) {
          expect(accepted).toBe(false);
          await expectRefusedEarly(client, workflowId, end.failure, 'invalid bulkCancelOrders input: ', BULK_FIELD);
        } else expect(accepted).toBe(true);
      }),
      params(15),
    ),
  );
});

test('through the typed client on a real server: InvalidInputError before anything starts, or a workflow that ends', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const cc = new CancellationClient({ client: stack.env.client, taskQueue });
  await worker.runUntil(
    fc.assert(
      fc.asyncProperty(cancelInput, async (raw) => {
        const started = await cc.startCancellation(raw).catch((e: unknown) => e);
        if (started instanceof InvalidInputError) return;
        if (started instanceof Error) throw new Error(`accepted input failed to start: ${started.message}`);
        await settle(started as WorkflowHandle);
      }),
      { ...params(30), examples: [[{ provider: 'fastpod', orderId: '..', reason: { code: 'other' } }]] },
    ),
  );
});

// Defects the fuzzer found, now fixed: kept as regressions.
describe('found by the fuzzer', () => {
  it('a raw bulk start with a `carry` field (continue-as-new state) is refused, not a task-failure loop', async () => {
    const { worker, taskQueue } = await stack.newWorker();
    const workflowId = `fuzz-carry-${runId}`;
    const raw = { provider: 'fungies', bulkId: 'c1', reason: { code: 'other' }, orderIds: ['a'], carry: {} };
    await worker.runUntil(async () => {
      const handle = await stack.env.client.workflow.start('bulkCancelOrders', {
        taskQueue,
        workflowId,
        args: [raw],
      });
      const end = await settle(handle, 5_000).catch(async (e: unknown) => {
        await handle.terminate('fuzz: stuck');
        throw e;
      });
      expect(end).not.toBe('waiting');
    });
  });

  it('an order id with a lone surrogate is refused by the client, not by the server after validation', async () => {
    const cc = new CancellationClient({ client: stack.env.client, taskQueue: 'nobody-polls' });
    const out = await cc
      .startCancellation({ provider: 'fungies', orderId: 'lone-\ud800', reason: { code: 'other' } })
      .catch((e: unknown) => e);
    expect(out).toBeInstanceOf(InvalidInputError);
  });
});
