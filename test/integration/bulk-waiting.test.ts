import { BulkClient } from '../../src/client/bulk-client';
import { CancellationClient } from '../../src/client/cancellation-client';
import { batchWorkflowId, type BulkProgress } from '../../src/contract';
import { bulkId, ids } from '../helpers/bulk';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();

it('a batch waiting for an operator leaves the window: the rest of the bulk goes on, then a confirm finishes it', async () => {
  const bid = bulkId('wait');
  const all = ids(`WT${bid.slice(-6)}`, 150);
  const first = all.slice(0, 50);
  const fincart = stack.sandbox.fincart;
  fincart.seed(all.map((id) => ({ id, status: 'pending' })));
  // Batch 1's call goes through at Fincart but every answer is lost, and its orders cannot be read back (logs 500):
  // its provider state is unknown, so it waits for an operator.
  fincart.injectFault({ route: 'cancel', orderId: first[0], lostAnswer: true, times: 3 });
  for (const id of first) fincart.injectFault({ route: 'logs', orderId: id, status: 500, times: Infinity });

  const w = await stack.newWorker();
  const bulk = new BulkClient({ client: stack.env.client, taskQueue: w.taskQueue });
  const ops = new CancellationClient({ client: stack.env.client, taskQueue: w.taskQueue });
  const batch1 = batchWorkflowId('fincart', bid, 1);
  const result = await w.worker.runUntil(async () => {
    const started = await bulk.startBulkCancellation({
      provider: 'fincart',
      bulkId: bid,
      orderIds: all,
      reason: { code: 'inventory' },
      batchSize: 50,
      concurrency: 1, // one batch in the window: a waiting batch that held it would stall the bulk at 0
      limits: { callsPerBatch: 1 }, // one provider call per batch workflow, as the batches are counted here
    });
    await started.sent;
    const progress = (): Promise<BulkProgress> => started.handle.query('progress');
    const seen = await waitFor(
      async () => {
        const p = await progress();
        return p.done === 100 && p.awaitingOperator === 1 ? p : undefined;
      },
      'batches 2 and 3 to finish while batch 1 waits',
      90_000,
    );
    expect(seen).toMatchObject({ state: 'RUNNING', awaitingOperatorOrders: 50, byOutcome: { CANCELLED: 100 } });
    const status = await ops.getStatus(batch1);
    expect(status.awaiting).toMatchObject({ step: 'cancel', providerState: 'unknown' });
    expect(status.awaiting?.unknownOrderIds).toHaveLength(50);
    // The operator checked Fincart's panel: all 50 are cancelled.
    await ops.confirm(batch1, true, { by: 'ops', note: 'cancelled in the Fincart panel' });
    return started.handle.result();
  });

  expect(result).toMatchObject({ state: 'DONE', byOutcome: { CANCELLED: 150 }, cancelled: 150 });
  expect(all.every((id) => fincart.orders.get(id)?.status === 'cancelled')).toBe(true);
  const merchant = stack.sandbox.merchant;
  for (const id of first) {
    expect(merchant.typesFor(id)).toEqual([
      'cancellation.hold_requested',
      'cancellation.needs_attention',
      'cancellation.restock_requested',
      'cancellation.completed',
    ]);
  }
  expect(merchant.events.filter((e) => e.type === 'cancellation.hold_released')).toHaveLength(0);
});
