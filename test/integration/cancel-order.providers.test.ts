import { CancellationClient } from '../../src/client/cancellation-client';
import { SANDBOX_CREDENTIALS } from '../../src/sandbox/stack';
import type { ProviderId } from '../../src/providers/types';
import { useTestStack } from '../helpers/stack';
import { historyText } from '../helpers/history';

const stack = useTestStack();

/** One cancellable order per provider, in that provider's own status vocabulary. */
const cases: {
  provider: ProviderId;
  orderId: string;
  status: string;
  snapshot?: { status: string; paid?: boolean };
}[] = [
  { provider: 'evitalrx', orderId: 'EV-1001', status: 'accepted' },
  { provider: 'fincart', orderId: 'FC-1001', status: 'pending', snapshot: { status: 'pending', paid: true } },
  { provider: 'fastpod', orderId: 'F237-120723-000001', status: 'new_order' },
  { provider: 'fungies', orderId: 'fng-1001', status: 'PAID' },
  { provider: 'ecom', orderId: '748596', status: 'pending' },
];

it.each(cases)('$provider: a cancellable order ends CANCELLED with the merchant told', async (c) => {
  stack.sandbox.sims[c.provider].seed([{ id: c.orderId, status: c.status, paid: c.status === 'PAID' }]);
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const result = await worker.runUntil(async () => {
    const handle = await client.startCancellation({
      provider: c.provider,
      orderId: c.orderId,
      reason: { code: 'customer_request', note: 'changed mind' },
      snapshot: c.snapshot,
    });
    return handle.result();
  });

  expect(result.outcome).toBe('CANCELLED');
  expect(result.providerCancelled).toBe(true);
  expect(result.attempts).toBe(1);
  // The provider saw exactly one cancel for this order, and now holds it cancelled.
  const sim = stack.sandbox.sims[c.provider];
  expect(sim.requestsFor('cancel', c.orderId)).toHaveLength(1);
  expect(sim.orders.get(c.orderId)?.status.toLowerCase()).toBe('cancelled');
  // The merchant got the saga's events in order, each signed and keyed by workflow id and step.
  const paid = c.status === 'PAID' || c.snapshot?.paid === true;
  expect(stack.sandbox.merchant.typesFor(c.orderId)).toEqual([
    'cancellation.hold_requested',
    ...(paid ? ['cancellation.refund_requested'] : []),
    'cancellation.restock_requested',
    'cancellation.completed',
  ]);
  const wfId = `cancel:${c.provider}:${c.orderId}`;
  const keys = stack.sandbox.merchant.events.filter((e) => e.orderId === c.orderId).map((e) => e.idempotencyKey);
  // What an operator filters on in the UI.
  const desc = await stack.env.client.workflow.getHandle(wfId).describe();
  expect(keys).toContain(`${wfId}/${desc.runId}/hold`);
  expect(desc.searchAttributes).toMatchObject({
    CancelProvider: [c.provider],
    CancelOrderId: [c.orderId],
    CancelState: ['CANCELLED'],
  });
  // No credential anywhere in the workflow history.
  const history = await historyText(stack.env.client, wfId);
  for (const secret of Object.values(SANDBOX_CREDENTIALS)) {
    expect(history).not.toContain(secret.replace(/^Authorization: Bearer /, ''));
  }
});
