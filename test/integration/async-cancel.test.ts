import { CancellationClient } from '../../src/client/cancellation-client';
import type { ShopifySim } from '../../src/providers/shopify/simulator';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// The asynchronous pivot (capabilities.asyncCancel) through the real saga against Shopify's simulator: the cancel
// answers a job, the order is cancelled when the job is done; the wait holds no worker slot and writes no event per poll.

const stack = useTestStack();
const reason = { code: 'fraud' } as const;
const uniq = () => `${Date.now() % 1_000_000_000}${Math.floor(Math.random() * 1000)}`;

it('a cancel pending at Shopify: the status shows the job; done → CANCELLED with one mutation and several polls', async () => {
  const shopify = stack.sandbox.shopify as ShopifySim;
  const orderId = `gid://shopify/Order/${uniq()}`;
  shopify.seed([{ id: orderId, status: 'UNFULFILLED', paid: true, jobPolls: 3, jobDelayMs: 3000 } as never]);
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const result = await worker.runUntil(async () => {
    const h = await client.startCancellation({ provider: 'shopify', orderId, reason });
    const pending = await waitFor(async () => {
      const s = await client.getStatus(h.workflowId);
      return s.providerJob?.state === 'pending' ? s : undefined;
    }, 'the job to be pending at Shopify');
    expect(pending.state).toBe('CANCELLING_AT_PROVIDER');
    expect(pending.providerJob?.id).toMatch(/^gid:\/\/shopify\/Job\//);
    expect(pending.timeline.at(-1)?.message).toContain('the order is cancelled when it is done');
    return h.result();
  });
  expect(result).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true, attempts: 1 });
  const routes = shopify.requests.filter((r) => r.orderIds.some((id) => orderId.endsWith(id))).map((r) => r.route);
  expect(routes.filter((r) => r === 'cancel')).toHaveLength(1);
  expect(routes.filter((r) => r === 'job').length).toBeGreaterThanOrEqual(3);
  // Paid: the merchant refunds and restocks (SHOPIFY_REFUNDS_BY defaults to merchant).
  expect(stack.sandbox.merchant.typesFor(orderId)).toEqual([
    'cancellation.hold_requested',
    'cancellation.refund_requested',
    'cancellation.restock_requested',
    'cancellation.completed',
  ]);
  // One activity follows the job: the polls are its retries, not events.
  const history = await stack.env.client.workflow.getHandle(`cancel:shopify:${orderId}`).fetchHistory();
  const scheduled = (history.events ?? []).filter((e) => e.activityTaskScheduledEventAttributes);
  const types = scheduled.map((e) => e.activityTaskScheduledEventAttributes?.activityType?.name);
  expect(types).toEqual(['prepareCancellation', 'startCancelAtProvider', 'awaitCancelJob']);
});

it('a job that fails at Shopify is a refusal: REJECTED, the hold released', async () => {
  const shopify = stack.sandbox.shopify as ShopifySim;
  const orderId = uniq();
  shopify.seed([{ id: orderId, status: 'UNFULFILLED', jobPolls: 1, jobFails: true } as never]);
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const result = await worker.runUntil(async () => {
    const h = await client.startCancellation({ provider: 'shopify', orderId, reason });
    return h.result();
  });
  expect(result).toMatchObject({ outcome: 'REJECTED', providerCancelled: false });
  expect(stack.sandbox.merchant.typesFor(orderId).slice(-2)).toEqual([
    'cancellation.hold_released',
    'cancellation.rejected',
  ]);
});
