import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { CancellationClient } from '../../src/client/cancellation-client';
import { batchWorkflowId } from '../../src/contract';
import { ids as orderIds, runBulk } from '../helpers/bulk';
import { useTestStack, workflowBundle } from '../helpers/stack';
import { waitFor } from '../helpers/wait';
import { CANCEL_SHAPE, shapeOfEvents } from '../../bench/lib/history';

// Histories recorded from earlier versions of the workflows: today's code must replay them unchanged.
// Record anew (after a deliberate, patched change of shape) with RECORD_HISTORIES=1: files are named after the
// workflow id and SHAPE, so the histories of earlier shapes stay (bump SHAPE with the next patch).
const SHAPE = 'together';
const DIR = path.join(__dirname, '..', 'fixtures', 'histories');
const RECORD = process.env.RECORD_HISTORIES === '1';

const stack = useTestStack();

const reason = { code: 'customer_request' };

it('fresh histories of every saga path replay deterministically', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const s = stack.sandbox;
  s.fungies.seed([
    { id: 'replay-paid', status: 'PAID' },
    { id: 'replay-early', status: 'PAID' },
  ]);
  s.fincart.seed([{ id: 'replay-refused', status: 'processing' }]);
  s.fastpod.seed([{ id: 'replay-operator', status: 'new_order' }]);
  s.fastpod.injectFault({ route: 'cancel', orderId: 'replay-operator', status: 503, times: 3 });
  // A lost answer: settled from Fincart's order logs; and at ecom (no read-back) by an operator's confirm.
  s.fincart.seed([{ id: 'replay-lost', status: 'pending' }]);
  s.fincart.injectFault({ route: 'cancel', orderId: 'replay-lost', lostAnswer: true });
  s.ecom.seed([{ id: 'replay-confirm', status: 'pending' }]);
  s.ecom.injectFault({ route: 'cancel', orderId: 'replay-confirm', lostAnswer: true, times: 3 });
  const ids = await worker.runUntil(async () => {
    const paid = await client.startCancellation({ provider: 'fungies', orderId: 'replay-paid', reason });
    const refused = await client.startCancellation({
      provider: 'fincart',
      orderId: 'replay-refused',
      reason,
      snapshot: { status: 'pending' },
    });
    const operator = await client.startCancellation({ provider: 'fastpod', orderId: 'replay-operator', reason });
    await waitFor(async () => (await client.getStatus(operator.workflowId)).state === 'AWAITING_OPERATOR', 'operator');
    await operator.signal('retry', { by: 'replay-test' });
    // Started by update-with-start: the history carries the waitAccepted update's events.
    const early = await client.requestCancellation({ provider: 'fungies', orderId: 'replay-early', reason });
    const snapshot = { status: 'pending' };
    const lost = await client.startCancellation({ provider: 'fincart', orderId: 'replay-lost', reason, snapshot });
    const confirm = await client.startCancellation({ provider: 'ecom', orderId: 'replay-confirm', reason });
    const waiting = await waitFor(async () => (await client.getStatus(confirm.workflowId)).awaiting, 'confirm', 60_000);
    expect(waiting.providerState).toBe('unknown');
    await client.confirm(confirm.workflowId, true, { by: 'replay-test' });
    const ended = await Promise.all([lost.result(), confirm.result()]);
    expect(ended.map((r) => r.outcome)).toEqual(['CANCELLED', 'CANCELLED']);
    await Promise.all([paid.result(), refused.result(), operator.result(), client.result(early.workflowId)]);
    return [
      paid.workflowId,
      refused.workflowId,
      operator.workflowId,
      early.workflowId,
      lost.workflowId,
      confirm.workflowId,
    ];
  });
  const histories = await Promise.all(ids.map((id) => stack.env.client.workflow.getHandle(id).fetchHistory()));
  // The paid Fungies cancel has the shape the bench expects (bench/lib/history.ts), no more and no fewer events.
  const { events, workflowTasks, activities, localActivities, upserts, timers } = shapeOfEvents(
    histories[0].events ?? [],
  );
  expect({ events, workflowTasks, activities, localActivities, upserts, timers }).toEqual(CANCEL_SHAPE);
  const bundle = await workflowBundle();
  for (const [i, history] of histories.entries()) {
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, ids[i]);
    if (RECORD) {
      mkdirSync(DIR, { recursive: true });
      const name = `${ids[i].replace(/[^a-z0-9-]+/gi, '_')}.${SHAPE}.json`;
      writeFileSync(path.join(DIR, name), JSON.stringify(history));
    }
  }
});

// The bulk's shape: v1 = batches of 50 and 5,000 orders per run (before the 'bulk-defaults-v2' patch), v2 = after it,
// v3 = waiting children leave the window and a lost answer is settled from evidence (patched), v4 = a batch's final
// steps in one chained merchant activity and several provider calls per batch workflow (patched).
const BULK_SHAPE = 'v4';

it('a fresh Fincart bulk (parent and batches, one bisection) replays deterministically', async () => {
  const w = await stack.newWorker();
  const bulkId = `replay-bulk-${BULK_SHAPE}`;
  const all = orderIds(`RB${BULK_SHAPE}`, 120);
  stack.sandbox.fincart.seed(all.map((id, i) => ({ id, status: i === 7 ? 'processing' : 'pending' })));
  const { result, workflowId } = await runBulk(stack, w, {
    provider: 'fincart',
    bulkId,
    orderIds: all,
    reason: { code: 'inventory' },
    // Two batch workflows of 60 orders, each making 4 provider calls of 15 ids.
    batchSize: 15,
  });
  expect(result.byOutcome).toEqual({ CANCELLED: 119, REJECTED: 1 });
  const wfIds = [workflowId, batchWorkflowId('fincart', bulkId, 1), batchWorkflowId('fincart', bulkId, 2)];
  const bundle = await workflowBundle();
  for (const id of wfIds) {
    const history = await stack.env.client.workflow.getHandle(id).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, id);
    if (RECORD) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(path.join(DIR, id.replace(/[^a-z0-9-]+/gi, '_') + '.json'), JSON.stringify(history));
    }
  }
});

it('recorded histories replay with today’s workflow code', async () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json'));
  expect(files.length).toBeGreaterThanOrEqual(4);
  const bundle = await workflowBundle();
  for (const f of files) {
    // Written with protobufjs' toJSON (enum names, base64 bytes), read back with its fromObject.
    const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(path.join(DIR, f), 'utf8')));
    // The file name is the workflow id with ':' written as '_' (the ids hold no '_'); a Fincart batch matches its
    // merchant results by idempotency key, which starts with its workflow id, so the replay needs the real one.
    const workflowId = f.replace(/\.json$/, '').replace(/_/g, ':');
    await Worker.runReplayHistory({ workflowBundle: bundle }, history, workflowId);
  }
});
