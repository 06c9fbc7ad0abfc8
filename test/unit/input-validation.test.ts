import type { Client } from '@temporalio/client';
import { BulkClient } from '../../src/client/bulk-client';
import { CancellationClient, listQuery } from '../../src/client/cancellation-client';
import { BULK_MAX, checkCancelOrderInput, checkOrders, durationMs } from '../../src/contract';

// Validation runs before any call: a client that throws on use proves nothing was started.
const client = new Proxy(
  {},
  {
    get: () => {
      throw new Error('no call expected');
    },
  },
) as unknown as Client;
const cancels = new CancellationClient({ client, taskQueue: 'q' });
const reason = { code: 'fraud' as const };
const start = (orderId: unknown, options?: Record<string, unknown>) =>
  cancels.startCancellation({ provider: 'fungies', orderId, reason, ...(options ? { options } : {}) });

test('an operator timeout too large for a date is refused up front, naming the field', async () => {
  for (const t of ['99999999999999d', '366d', 400 * 86_400_000]) {
    await expect(start('o-1', { operatorTimeout: t })).rejects.toThrow(
      /^invalid cancellation: options\.operatorTimeout: must be at most 365d$/,
    );
  }
  await expect(start('o-1', { operatorTimeout: 1e300 })).rejects.toThrow(
    /^invalid cancellation: options\.operatorTimeout/,
  );
  const ok = checkCancelOrderInput({
    provider: 'fungies',
    orderId: 'o-1',
    reason,
    options: { operatorTimeout: '365d' },
  });
  expect(ok.ok).toBe(true);
  // Every accepted duration is a valid date offset, so the workflow can always show `timeoutAt`.
  expect(() => new Date(Date.now() + durationMs('365d')).toISOString()).not.toThrow();
});

test.each([
  ['.', /orderId: must not be "\." or "\.\."/],
  ['..', /orderId: must not be "\." or "\.\."/],
  ['   ', /orderId: must not start or end with whitespace/],
  [' o-1', /orderId: must not start or end with whitespace/],
  ['o-1\u00a0', /orderId: must not start or end with whitespace/],
  ['o\u0085x', /orderId: must not contain control or invisible format characters/],
  ['o\u2028x', /orderId: must not contain control or invisible format characters/],
  ['o\u202ex', /orderId: must not contain control or invisible format characters/],
  ['o\u200bx', /orderId: must not contain control or invisible format characters/],
  ['o\ud800x', /orderId: must not contain control or invisible format characters/],
  ['o\udc00', /orderId: must not contain control or invisible format characters/],
])('order id %j is refused before anything starts', async (id, message) => {
  await expect(start(id)).rejects.toThrow(message);
  expect(checkOrders([id]).invalid.count).toBe(1);
});

test('ids users really have are accepted: non-Latin letters, spaces inside, punctuation, emoji', () => {
  for (const id of ['заказ-1', '注文 42', 'a b', '../x?y#z', 'ORD-😀', '#1001', 'x'.repeat(200)]) {
    expect(checkCancelOrderInput({ provider: 'fungies', orderId: id, reason })).toMatchObject({ ok: true });
  }
});

test('the bulk limit is the documented 100,000', async () => {
  expect(BULK_MAX).toBe(100_000);
  const bulk = new BulkClient({ client, taskQueue: 'q' });
  const ids = Array.from({ length: 100_001 }, (_, i) => `o-${i}`);
  await expect(bulk.startBulkCancellation({ provider: 'fincart', orderIds: ids, reason })).rejects.toThrow(
    /orders: at most 100000 per bulk/,
  );
});

test('list --bulk finds a Fincart bulk: its batch workflows carry the bulk id (the orders have no workflow)', () => {
  expect(listQuery({ bulkId: 'b-1' })).toBe(
    '(WorkflowType = "cancelOrder" OR WorkflowType = "cancelFincartBatch") AND CancelBulkId = "b-1"',
  );
  expect(listQuery({ state: 'REJECTED' })).toBe('WorkflowType = "cancelOrder" AND CancelState = "REJECTED"');
});
