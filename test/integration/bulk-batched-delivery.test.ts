import { useTestStack } from '../helpers/stack';
import { bulkId, ids, runBulk } from '../helpers/bulk';
import { MERCHANT_BATCH_TYPE } from '../../src/contract';

const stack = useTestStack();

const CANCELLED = ['cancellation.hold_requested', 'cancellation.restock_requested', 'cancellation.completed'];

/** 120 Fincart orders in batches of 50; the merchant refuses the hold of one order. */
async function bulkWithRefusedHold(delivery: 'per-event' | 'batched', loseOne: boolean) {
  const bid = bulkId(`bd-${delivery}`);
  const all = ids(`BD${bid.slice(-6)}`, 120);
  const refused = all[7];
  const { fincart, merchant } = stack.sandbox;
  fincart.seed(all.map((id) => ({ id, status: 'pending' })));
  merchant.injectFault({ route: 'cancellation.hold_requested', orderId: refused, status: 409, body: 'already packed' });
  // The receiver takes batch 3's first POST (its holds) and its answer is lost: the worker sends the same events again.
  if (loseOne) merchant.injectFault({ route: MERCHANT_BATCH_TYPE, orderId: all[110], lostAnswer: true });
  const requestsBefore = merchant.requests.length;
  const duplicatesBefore = merchant.duplicates;
  const w = await stack.newWorker({ MERCHANT_DELIVERY: delivery });
  const { result } = await runBulk(stack, w, {
    provider: 'fincart',
    bulkId: bid,
    orderIds: all,
    reason: { code: 'inventory' },
    batchSize: 50,
    // One provider call per batch workflow, as this test's batches are counted.
    limits: { callsPerBatch: 1 },
  });
  const requests = merchant.requests.slice(requestsBefore);
  return { all, refused, result, requests, duplicates: merchant.duplicates - duplicatesBefore };
}

it('batched delivery: a refused hold ends that order as per-event delivery would; a redelivery is de-duplicated per event', async () => {
  const perEvent = await bulkWithRefusedHold('per-event', false);
  const batched = await bulkWithRefusedHold('batched', true);
  const merchant = stack.sandbox.merchant;

  for (const run of [perEvent, batched]) {
    expect(run.result.byOutcome).toEqual({ CANCELLED: 119, REJECTED: 1 });
    expect(run.result.notCancelled).toHaveLength(1);
    expect(run.result.notCancelled[0].orderId).toBe(run.refused);
    // The refused hold is not received; the merchant hears the rejection; the order never reaches Fincart.
    expect(merchant.typesFor(run.refused)).toEqual(['cancellation.rejected']);
    expect(stack.sandbox.fincart.orders.get(run.refused)?.status).toBe('pending');
    for (const id of run.all.filter((x) => x !== run.refused)) expect(merchant.typesFor(id)).toEqual(CANCELLED);
  }
  for (const run of [perEvent, batched])
    expect(run.result.notCancelled[0].reason).toMatch(
      /merchant refused cancellation\.hold_requested.*: already packed/,
    );

  // Per event: one POST per event. Batched: one POST per step and batch (3 batches × hold, restock, completed), the
  // refused order's rejection, and batch 3's holds sent twice.
  expect(perEvent.requests.every((r) => r.route !== MERCHANT_BATCH_TYPE)).toBe(true);
  expect(perEvent.requests.length).toBeGreaterThanOrEqual(119 * 3 + 2);
  expect(batched.requests.every((r) => r.route === MERCHANT_BATCH_TYPE)).toBe(true);
  expect(batched.requests).toHaveLength(3 * 3 + 1 + 1);
  // The second delivery of batch 3's holds: every event recognised by its id, none recorded twice.
  expect(batched.duplicates).toBe(20);
  expect(perEvent.duplicates).toBe(0);
}, 120_000);
