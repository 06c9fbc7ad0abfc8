import { BulkClient } from '../../src/client/bulk-client';
import { CancellationClient } from '../../src/client/cancellation-client';
import { batchWorkflowId } from '../../src/contract';
import { bulkId, ids } from '../helpers/bulk';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();

it('a batch of two provider calls: both fail past their budget, the operator answers one question at a time', async () => {
  const bid = bulkId('calls');
  const all = ids(`BC${bid.slice(-6)}`, 6);
  const fincart = stack.sandbox.fincart;
  fincart.seed(all.map((id) => ({ id, status: 'pending' })));
  // Both calls of the one batch (orders 1-3 and 4-6) meet an outage: each waits for an operator.
  for (const id of [all[0], all[3]])
    fincart.injectFault({ route: 'cancel', orderId: id, status: 503, times: Infinity });
  const w = await stack.newWorker();
  const bulk = new BulkClient({ client: stack.env.client, taskQueue: w.taskQueue });
  const ops = new CancellationClient({ client: stack.env.client, taskQueue: w.taskQueue });
  const batch = batchWorkflowId('fincart', bid, 1);
  const result = await w.worker.runUntil(async () => {
    const started = await bulk.startBulkCancellation({
      provider: 'fincart',
      bulkId: bid,
      orderIds: all,
      reason: { code: 'inventory' },
      batchSize: 3,
      limits: { callsPerBatch: 2 },
    });
    await started.sent;
    const question = (after?: string) =>
      waitFor(
        async () => {
          const s = await ops.getStatus(batch);
          if (s.outcome) return 'ended';
          return s.state === 'AWAITING_OPERATOR' && s.awaiting && s.awaiting.since !== after ? s.awaiting : undefined;
        },
        `an operator question after ${after ?? 'the start'}`,
        60_000,
      );
    const first = await question();
    expect(first).toMatchObject({ step: 'cancel' });
    fincart.clearFaults();
    await ops.retry(batch, 'ops');
    // The other call's question comes next (it waited its turn); a retry settles it too.
    const second = await question(first === 'ended' ? undefined : first.since);
    expect(second).toMatchObject({ step: 'cancel' });
    await ops.retry(batch, 'ops');
    return started.handle.result();
  });
  expect(result).toMatchObject({ state: 'DONE', byOutcome: { CANCELLED: 6 } });
  expect(all.every((id) => fincart.orders.get(id)?.status === 'cancelled')).toBe(true);
  // Each call's orders got one needs_attention notice: two questions, asked one after the other.
  const merchant = stack.sandbox.merchant;
  for (const id of all)
    expect(merchant.typesFor(id).filter((t) => t === 'cancellation.needs_attention')).toHaveLength(1);
}, 180_000);
