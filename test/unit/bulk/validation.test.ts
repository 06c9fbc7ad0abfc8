import type { Client } from '@temporalio/client';
import { BulkClient } from '../../../src/client/bulk-client';
import { InvalidInputError } from '../../../src/client/cancellation-client';
import { bulkWorkflowId, checkBulkInput, checkOrders, batchWorkflowId } from '../../../src/contract';

// Validation runs before any call: a client that throws on use proves nothing was started.
const client = new Proxy(
  {},
  {
    get: () => {
      throw new Error('no call expected');
    },
  },
) as unknown as Client;
const bulk = new BulkClient({ client, taskQueue: 'q', enabledProviders: ['fincart', 'fungies'] });
const reason = { code: 'fraud' as const };

it('duplicates are removed (first kept) and reported; invalid ids refused with their 1-based positions', () => {
  const c = checkOrders(['a', 'b', 'a', '', 'c', 'b', 'x\u0000y', 42]);
  expect(c.orders.map((o) => o.orderId)).toEqual(['a', 'b', 'c']);
  expect(c.duplicates).toEqual({ count: 2, sample: ['a', 'b'] });
  expect(c.invalid.count).toBe(3);
  expect(c.invalid.first.map((i) => i.position)).toEqual([4, 7, 8]);
});

it('the client refuses bad input before starting anything, naming the positions', async () => {
  await expect(
    bulk.startBulkCancellation({ provider: 'fincart', orderIds: ['ok', '', 'fine', 'x'.repeat(201)], reason }),
  ).rejects.toThrow(/2 invalid order id\(s\): #2 "": must not be empty; #4 .*at most 200 characters/);
  await expect(
    bulk.startBulkCancellation({ provider: 'fincart', orderIds: ['a'], reason, batchSize: 101 }),
  ).rejects.toThrow(/batchSize: at most 100/);
  await expect(bulk.startBulkCancellation({ provider: 'ecom', orderIds: ['a'], reason })).rejects.toThrow(
    /ecom is not enabled/,
  );
  await expect(bulk.startBulkCancellation({ provider: 'fincart', orderIds: [], reason })).rejects.toThrow(
    /no order to cancel/,
  );
  await expect(
    bulk.startBulkCancellation({ provider: 'fincart', orderIds: ['a'], reason, bulkId: 'a b' }),
  ).rejects.toBeInstanceOf(InvalidInputError);
});

it('the client validates 100,000 ids of 64 characters and drops the duplicates', () => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `ORDER-${String(i % 99_990).padStart(58, '0')}`);
  // How fast is for `npm run bench`, not for a timed test.
  const v = bulk.validate({ provider: 'fincart', orderIds: ids, reason, bulkId: 'big' });
  expect(v.orders).toHaveLength(99_990);
  expect(v.duplicates.count).toBe(10);
});

it('the workflow input: exactly one of orderIds, orders or total; inline lists bounded', () => {
  expect(checkBulkInput({ provider: 'fungies', bulkId: 'b1', reason, orderIds: ['a'] }).ok).toBe(true);
  expect(checkBulkInput({ provider: 'fungies', bulkId: 'b1', reason, total: 5 }).ok).toBe(true);
  expect(checkBulkInput({ provider: 'fungies', bulkId: 'b1', reason, orderIds: ['a'], total: 1 })).toMatchObject({
    ok: false,
  });
  expect(checkBulkInput({ provider: 'fungies', bulkId: 'b1', reason, orderIds: Array(1001).fill('a') })).toMatchObject({
    ok: false,
    error: expect.stringMatching(/send more with the bulk client/),
  });
  expect(
    checkBulkInput({ provider: 'fungies', bulkId: 'b1', reason, orders: [{ orderId: 'a', snapshot: { status: '' } }] }),
  ).toMatchObject({ ok: false, error: expect.stringMatching(/#1 "a": snapshot/) });
});

it('workflow ids of the design', () => {
  expect(bulkWorkflowId('fincart', 'b7')).toBe('bulk-cancel:fincart:b7');
  expect(batchWorkflowId('fincart', 'b7', 3)).toBe('bulk-cancel:fincart:b7:batch:3');
});
