import { useTestStack } from '../helpers/stack';
import { bulkId, ids, runBulk } from '../helpers/bulk';
import { batchWorkflowId } from '../../src/contract';

const stack = useTestStack();

const CANCELLED = ['cancellation.hold_requested', 'cancellation.restock_requested', 'cancellation.completed'];
const REJECTED = ['cancellation.hold_requested', 'cancellation.hold_released', 'cancellation.rejected'];

it('fincart: 300 orders in batches of 50; the refused batch is bisected down to exactly the refused ids', async () => {
  const bid = bulkId('fc');
  const all = ids(`FC${bid.slice(-6)}`, 300);
  // Not pending at Fincart, and the caller did not know: all three fall in batch 2 (positions 51-100).
  const refused = [all[60], all[61], all[88]];
  // The caller's snapshot says so: judged up front, never sent to Fincart.
  const notEligible = [all[5], all[150]];
  const alreadyCancelled = [all[200]];
  const fincart = stack.sandbox.fincart;
  fincart.seed(
    all.map((id) => ({
      id,
      status:
        refused.includes(id) || notEligible.includes(id)
          ? 'processing'
          : alreadyCancelled.includes(id)
            ? 'cancelled'
            : 'pending',
    })),
  );
  const orders = all.map((orderId) => ({
    orderId,
    snapshot: notEligible.includes(orderId)
      ? { status: 'processing' }
      : alreadyCancelled.includes(orderId)
        ? { status: 'cancelled' }
        : undefined,
  }));
  const before = fincart.requestsFor('cancel').length;

  const w = await stack.newWorker();
  const { result } = await runBulk(stack, w, {
    provider: 'fincart',
    bulkId: bid,
    orders,
    reason: { code: 'inventory' },
    batchSize: 50,
    // One provider call per batch workflow, as this test's batches are counted.
    limits: { callsPerBatch: 1 },
  });

  const cancelledIds = all.filter((id) => ![...refused, ...notEligible, ...alreadyCancelled].includes(id));
  expect(result.state).toBe('DONE');
  expect(result.total).toBe(300);
  expect(result.byOutcome).toEqual({
    CANCELLED: cancelledIds.length,
    REJECTED: 3,
    NOT_ELIGIBLE: 2,
    ALREADY_CANCELLED: 1,
  });
  expect(result.notCancelled.map((n) => n.orderId).sort()).toEqual([...refused, ...notEligible].sort());
  expect(result.notCancelled.find((n) => n.orderId === refused[0])?.reason).toMatch(/fincart refused the cancel/);

  const requests = fincart.requestsFor('cancel').slice(before);
  // Each cancelled id was in exactly one accepted request; no request held more than the batch size.
  const accepted = requests.filter((r) => r.responseStatus === 200).flatMap((r) => r.orderIds);
  expect(accepted.sort()).toEqual([...cancelledIds].sort());
  expect(Math.max(...requests.map((r) => r.orderIds.length))).toBe(50);
  // The five clean batches were one call each; only batch 2 was split.
  const refusedReqs = requests.filter((r) => r.responseStatus === 400);
  expect(refusedReqs.every((r) => r.orderIds.some((id) => refused.includes(id)))).toBe(true);
  for (const id of refused) expect(refusedReqs.some((r) => r.orderIds.length === 1 && r.orderIds[0] === id)).toBe(true);
  expect(
    requests.flatMap((r) => r.orderIds).some((id) => notEligible.includes(id) || alreadyCancelled.includes(id)),
  ).toBe(false);
  // Fincart's book: pending ones cancelled, the refused ones untouched.
  for (const id of cancelledIds) expect(fincart.orders.get(id)?.status).toBe('cancelled');
  for (const id of refused) expect(fincart.orders.get(id)?.status).toBe('processing');

  // Every order has its own merchant events, keyed by batch workflow id, order and step.
  const merchant = stack.sandbox.merchant;
  for (const id of cancelledIds) expect(merchant.typesFor(id)).toEqual(CANCELLED);
  for (const id of refused) expect(merchant.typesFor(id)).toEqual(REJECTED);
  for (const id of notEligible) expect(merchant.typesFor(id)).toEqual(['cancellation.not_eligible']);
  expect(merchant.typesFor(alreadyCancelled[0])).toEqual(['cancellation.completed']);
  const batch2 = batchWorkflowId('fincart', bid, 2);
  const desc = await stack.env.client.workflow.getHandle(batch2).describe();
  expect(
    merchant.events.find((e) => e.orderId === refused[0] && e.type === 'cancellation.hold_requested')?.idempotencyKey,
  ).toBe(`${batch2}/${desc.runId}/${refused[0]}/hold`);
  // Delivery is at least once: on a busy machine a merchant attempt that timed out is sent again with the same keys
  // (a batch's final steps go in one activity), and the receiver drops the repeats. What the merchant keeps is each
  // event once, which typesFor above checks per order.

  // The batches carry the bulk id; the parent its own attributes.
  expect(desc.searchAttributes).toMatchObject({
    CancelBulkId: [bid],
    CancelProvider: ['fincart'],
    CancelState: ['DONE'],
  });
  const parent = await stack.env.client.workflow.getHandle(`bulk-cancel:fincart:${bid}`).describe();
  expect(parent.searchAttributes).toMatchObject({
    CancelBulkId: [bid],
    CancelProvider: ['fincart'],
    CancelState: ['DONE'],
  });
});
