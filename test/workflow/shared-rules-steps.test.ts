import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTimeSkipping } from '../helpers/time-skipping';
import { BOTH, reason } from './paths';

// The shared rules of the steps after the pivot and of the markCancelled event, run through both workflows
// (cancelOrder and cancelFincartBatch): the same order and options give the same merchant events and data.

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

const HOLD = 'cancellation.hold_requested';
const REFUND = 'cancellation.refund_requested';
const RESTOCK = 'cancellation.restock_requested';
const COMPLETED = 'cancellation.completed';
const pendingPaid = { status: 'pending', paid: true };

describe.each(BOTH)('$name: the steps after the pivot', (path) => {
  const id = (s: string) => `${path.name}-${s}`;

  it('refunds a paid order, then restocks and marks it cancelled', async () => {
    const r = await path.run(env, { orderId: id('paid'), snapshot: pendingPaid });
    expect(r).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true });
    expect(r.events).toEqual([HOLD, REFUND, RESTOCK, COMPLETED]);
  });

  it('does not refund an order known unpaid, nor one whose payment is unknown', async () => {
    const unpaid = await path.run(env, { orderId: id('unpaid'), snapshot: { status: 'pending', paid: false } });
    expect(unpaid.events).toEqual([HOLD, RESTOCK, COMPLETED]);
    const unknown = await path.run(env, { orderId: id('no-snapshot') });
    expect(unknown).toMatchObject({ outcome: 'CANCELLED' });
    expect(unknown.events).toEqual([HOLD, RESTOCK, COMPLETED]);
  });

  it('does not refund a paid order when options.refund is false', async () => {
    const r = await path.run(env, { orderId: id('no-refund'), snapshot: pendingPaid, options: { refund: false } });
    expect(r.events).toEqual([HOLD, RESTOCK, COMPLETED]);
  });

  it('skips what the provider did itself with the cancel (doneByProvider)', async () => {
    const refunded = await path.run(env, {
      orderId: id('by-provider-refund'),
      snapshot: pendingPaid,
      cancel: (orderId) => ({ orderId, status: 'CANCELLED', doneByProvider: ['refund'] }),
    });
    expect(refunded.events).toEqual([HOLD, RESTOCK, COMPLETED]);
    const both = await path.run(env, {
      orderId: id('by-provider-both'),
      snapshot: pendingPaid,
      cancel: (orderId) => ({ orderId, status: 'CANCELLED', doneByProvider: ['refund', 'restock'] }),
    });
    expect(both).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true });
    expect(both.events).toEqual([HOLD, COMPLETED]);
  });

  it('restocks unless options.restock is false', async () => {
    const r = await path.run(env, { orderId: id('no-restock'), snapshot: pendingPaid, options: { restock: false } });
    expect(r.events).toEqual([HOLD, REFUND, COMPLETED]);
  });

  it('tells the merchant to notify the customer by default, not when options.notifyCustomer is false', async () => {
    const byDefault = await path.run(env, { orderId: id('notify-default') });
    const completed = byDefault.calls.find((c) => c.type === COMPLETED);
    expect(completed?.step).toBe('markCancelled');
    // The batch adds where the order came from (bulkId, batch); the rest is the same.
    expect(completed?.data).toMatchObject({ outcome: 'CANCELLED', notifyCustomer: true, reason });
    const declined = await path.run(env, { orderId: id('notify-false'), options: { notifyCustomer: false } });
    expect(declined.calls.find((c) => c.type === COMPLETED)?.data).toMatchObject({
      outcome: 'CANCELLED',
      notifyCustomer: false,
      reason,
    });
  });
});
