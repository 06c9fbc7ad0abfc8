import fc from 'fast-check';
import {
  checkBulkInput,
  checkCancelOrderInput,
  checkOrders,
  plainCheckBulkInput,
  plainCheckCancelOrderInput,
  plainCheckOrders,
} from '../../src/contract';
import { params, nastyString } from '../helpers/fuzz';
import { bulkInput, cancelInput } from '../helpers/input-arbs';

// The workflows check their input by hand (no zod in the bundle); the client checks it with the zod schemas. Both
// must take and refuse the same inputs, return the same value and say the same thing.

/** What a workflow receives: the input after the JSON round trip of the payload converter. */
const json = (v: unknown): unknown => JSON.parse(JSON.stringify(v ?? null));

/**
 * zod names a plain object "Object" instead of "object" when the object's prototype is another realm's
 * Object.prototype (it then reads the constructor's name). Under jest that depends on which realm zod was loaded in
 * (it did in the full CI run, not when the file runs alone), so the comparison leaves that one word's case aside.
 */
const same = (r: unknown): unknown =>
  JSON.parse(JSON.stringify(r ?? null).replace(/received Object\b/g, 'received object')) as unknown;

test('cancelOrder input: the hand-written check answers exactly as the zod schema', () => {
  fc.assert(
    fc.property(cancelInput, (raw) => {
      const input = json(raw);
      expect(same(plainCheckCancelOrderInput(input))).toEqual(same(checkCancelOrderInput(input)));
    }),
    params(5000),
  );
});

test('bulkCancelOrders input: the hand-written check answers exactly as the zod schema', () => {
  const withCarry = fc.tuple(bulkInput, fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined, freq: 2 }));
  fc.assert(
    fc.property(withCarry, ([raw, carry]) => {
      const input = json(carry === undefined ? raw : { ...(raw as object), carry });
      expect(same(plainCheckBulkInput(input))).toEqual(same(checkBulkInput(input)));
    }),
    params(5000),
  );
});

test('order lists (addOrders chunks): the same orders, duplicates and refusals as the zod check', () => {
  const item = fc.oneof(
    nastyString(210),
    fc.jsonValue({ maxDepth: 2 }),
    fc.record(
      { orderId: fc.oneof(nastyString(30), fc.jsonValue({ maxDepth: 1 })), snapshot: fc.jsonValue({ maxDepth: 2 }) },
      { requiredKeys: [] },
    ),
  );
  fc.assert(
    fc.property(fc.array(item, { maxLength: 30 }), fc.integer({ min: 1, max: 5000 }), (list, first) => {
      const input = json(list) as unknown[];
      expect(same(plainCheckOrders(input, first))).toEqual(same(checkOrders(input, first)));
    }),
    params(3000),
  );
});

test('edge values: durations, limits, carries and odd types are refused in the same words', () => {
  const reason = { code: 'fraud' };
  const base = { provider: 'fungies', orderId: 'o-1', reason };
  const timeouts = [0, -1, 1.5, 2 ** 60, 1e300, '0s', '366d', '365d', '10x', true, null, [], {}];
  for (const operatorTimeout of timeouts) {
    const input = { ...base, options: { operatorTimeout, refund: false, junk: 1 } };
    expect(same(plainCheckCancelOrderInput(input))).toEqual(same(checkCancelOrderInput(input)));
  }
  const bulk = { provider: 'fungies', bulkId: 'b-1', reason };
  const bulks: unknown[] = [
    { ...bulk, total: 0 },
    { ...bulk, total: 1.5 },
    { ...bulk, total: 100_001 },
    { ...bulk, total: 5, limits: { historyThreshold: 99, maxOrdersPerRun: 0, bufferCapacity: 5001, x: 1 } },
    { ...bulk, orderIds: Array(1001).fill('a') },
    { ...bulk, orders: [{ x: 1 }, 5, null, [], { orderId: 'q', y: 1 }] },
    { ...bulk, orderIds: ['a'], carry: { run: -1, byOutcome: [], buffer: {}, runHistoryLengths: [1, -2] } },
    { ...bulk, orderIds: ['a'], carry: null },
    { ...bulk, orderIds: [], total: 3 },
    { ...bulk, orderIds: [] },
    { ...bulk, bulkId: '', orderIds: ['a'] },
    { ...bulk, bulkId: 'x y'.repeat(40), orderIds: ['a'] },
    // An id that cannot be turned into text (it used to throw a TypeError, failing the workflow task).
    { ...bulk, orderIds: [{ toString: null }, 'ok'] },
  ];
  for (const input of bulks) expect(same(plainCheckBulkInput(input))).toEqual(same(checkBulkInput(input)));
  for (const input of [null, [], 'x', 5, {}]) {
    expect(same(plainCheckCancelOrderInput(input))).toEqual(same(checkCancelOrderInput(input)));
    expect(same(plainCheckBulkInput(input))).toEqual(same(checkBulkInput(input)));
  }
});
