import type { BulkInputFields, BulkOrder, CheckedBulk, CheckedOrders, Snapshot } from './bulk-input';
import type { CancelOrderInput } from './input';
import {
  anything,
  array,
  bool,
  type Check,
  describe,
  expected,
  int,
  isObj,
  type Issue,
  type Obj,
  object,
  oneOf,
  opt,
  required,
  str,
  unsafe,
} from './plain-check-kit';
import { PROVIDER_IDS, REASON_CODES } from './providers';
import {
  BATCH_MSG,
  BULK_ID_MSG,
  BULK_ID_RE,
  BULK_MAX,
  asText,
  clip,
  CONCURRENCY_MAX,
  DURATION_MSG,
  DURATION_RE,
  durationMs,
  MAX_BATCH,
  INLINE_MAX,
  INLINE_MSG,
  INVISIBLE,
  LIMITS_RANGE,
  MAX_DURATION_MS,
  NOTE_MAX,
  NOTE_MSG,
  ORDER_ID_MAX,
  ORDER_ID_MSG,
} from './rules';

// The workflows' input checks, written by hand so the workflow bundle carries no zod (building its schemas at module
// load cost every workflow run about 13 ms). They accept exactly what the zod schemas of input.ts / bulk-input.ts
// accept, return the same value (unknown keys dropped) and word refusals the same way; test/unit/plain-checks.test.ts
// holds them to that with generated inputs.

const orderId = str([
  { min: 1, message: ORDER_ID_MSG.empty },
  { max: ORDER_ID_MAX, message: ORDER_ID_MSG.long },
  [(s) => !INVISIBLE.test(s), ORDER_ID_MSG.invisible],
  [(s) => s.trim() === s, ORDER_ID_MSG.whitespace],
  [(s) => s !== '.' && s !== '..', ORDER_ID_MSG.dots],
]);

/** Milliseconds (a positive integer) or a string like '72h'; at most 365 days. */
const duration: Check<number | string> = (v, at, out) => {
  const n = out.length;
  if (typeof v === 'number' && Number.isInteger(v)) {
    unsafe(v, at, out);
    if (v <= 0) out.push({ path: at, message: 'Too small: expected number to be >0' });
  } else if (typeof v === 'string') {
    if (!DURATION_RE.test(v)) out.push({ path: at, message: DURATION_MSG.format });
  } else out.push({ path: at, message: 'Invalid input' });
  const shaped = typeof v === 'number' ? v > 0 && Number.isInteger(v) : typeof v === 'string' && DURATION_RE.test(v);
  if (shaped && durationMs(v as number | string) > MAX_DURATION_MS) out.push({ path: at, message: DURATION_MSG.max });
  return out.length === n ? (v as number | string) : undefined;
};

const reason = object({ code: oneOf(REASON_CODES), note: opt(str([{ max: NOTE_MAX, message: NOTE_MSG }])) });
const snapshot = object({ status: str([{ min: 1 }, { max: 100 }]), paid: opt(bool) }, true);
const options = object({
  notifyCustomer: opt(bool),
  refund: opt(bool),
  restock: opt(bool),
  operatorTimeout: opt(duration),
});
const provider = oneOf(PROVIDER_IDS);

const cancelOrderInput = object({
  provider,
  orderId,
  reason,
  requestedBy: opt(str([{ max: 200 }])),
  snapshot: opt(snapshot),
  options: opt(options),
  bulkId: opt(str([{ max: 200 }])),
});

/** Parse or explain in one line (the workflow's twin of checkCancelOrderInput, without zod). */
export function plainCheckCancelOrderInput(
  raw: unknown,
): { ok: true; value: CancelOrderInput } | { ok: false; error: string } {
  const out: Issue[] = [];
  const value = cancelOrderInput(raw, [], out);
  return out.length === 0 ? { ok: true, value: value as CancelOrderInput } : { ok: false, error: describe(out) };
}

/** Validate each order (with its position), drop duplicates keeping the first (the twin of checkOrders). */
export function plainCheckOrders(list: readonly unknown[], firstPosition = 1): CheckedOrders {
  const seen = new Set<string>();
  const result: CheckedOrders = { orders: [], duplicates: { count: 0, sample: [] }, invalid: { count: 0, first: [] } };
  list.forEach((item, i) => {
    const raw =
      isObj(item) && 'orderId' in item ? (item as { orderId: unknown; snapshot?: unknown }) : { orderId: item };
    const idIssues: Issue[] = [];
    const id = orderId(raw.orderId, [], idIssues);
    const snapIssues: Issue[] = [];
    const snap = raw.snapshot === undefined ? undefined : snapshot(raw.snapshot, [], snapIssues);
    const error = idIssues.length
      ? describe(idIssues).replace(/^input: /, '')
      : snapIssues.length
        ? `snapshot: ${describe(snapIssues)}`
        : undefined;
    if (error || id === undefined) {
      result.invalid.count += 1;
      if (result.invalid.first.length < 20)
        result.invalid.first.push({
          position: i + firstPosition,
          orderId: clip(asText(raw.orderId), 80),
          error: error!,
        });
      return;
    }
    if (seen.has(id)) {
      result.duplicates.count += 1;
      if (result.duplicates.sample.length < 20) result.duplicates.sample.push(id);
      return;
    }
    seen.add(id);
    result.orders.push(snap ? ({ orderId: id, snapshot: snap as Snapshot } satisfies BulkOrder) : { orderId: id });
  });
  return result;
}

/** One line naming the refused ids and their positions. */
export function describeInvalid(invalid: CheckedOrders['invalid']): string {
  const shown = invalid.first.slice(0, 5).map((e) => `#${e.position} ${JSON.stringify(e.orderId)}: ${e.error}`);
  const more = invalid.count > shown.length ? `; and ${invalid.count - shown.length} more` : '';
  return `${invalid.count} invalid order id(s): ${shown.join('; ')}${more}`;
}

const range = (k: keyof typeof LIMITS_RANGE) => opt(int(LIMITS_RANGE[k][0], LIMITS_RANGE[k][1]));
const bulkInput = object({
  provider,
  bulkId: str([
    { min: 1, message: BULK_ID_MSG.empty },
    { max: 100, message: BULK_ID_MSG.long },
    [(s) => BULK_ID_RE.test(s), BULK_ID_MSG.chars],
  ]),
  reason,
  orderIds: opt(array(anything, INLINE_MAX, INLINE_MSG)),
  orders: opt(array(object({ orderId: required, snapshot: anything }), INLINE_MAX, INLINE_MSG)),
  total: opt(int(1, BULK_MAX)),
  batchSize: opt(int(1, MAX_BATCH, BATCH_MSG)),
  concurrency: opt(int(1, CONCURRENCY_MAX)),
  requestedBy: opt(str([{ max: 200 }])),
  options: opt(options),
  limits: opt(
    object({
      historyThreshold: range('historyThreshold'),
      maxOrdersPerRun: range('maxOrdersPerRun'),
      bufferCapacity: range('bufferCapacity'),
      callsPerBatch: range('callsPerBatch'),
    }),
  ),
});

const count = int(0);
const list: Check<unknown[]> = (v, at, out) =>
  Array.isArray(v) ? v : void out.push({ path: at, message: expected('array', v) });
const counts: Check<Obj> = (v, at, out) => {
  if (!isObj(v)) return void out.push({ path: at, message: expected('record', v) });
  const n = out.length;
  for (const [k, x] of Object.entries(v)) count(x, [...at, k], out);
  return out.length === n ? v : undefined;
};
/** The shape of a continue-as-new carry; lists are checked as lists only (their items were checked coming in). */
const carry = object({
  run: count,
  total: count,
  received: count,
  nextSeq: count,
  buffer: list,
  done: count,
  byOutcome: counts,
  notCancelled: list,
  notCancelledOmitted: count,
  batches: count,
  duplicatesRemoved: count,
  runHistoryLengths: (v, at, out) => {
    const l = list(v, at, out);
    const n = out.length;
    l?.forEach((x, i) => count(x, [...at, i], out));
    return out.length === n ? l : undefined;
  },
  maxHistoryLength: count,
});

/** Parse the bulk input; ids are checked one by one so every refusal names its position (the twin of checkBulkInput). */
export function plainCheckBulkInput(raw: unknown): { ok: true; value: CheckedBulk } | { ok: false; error: string } {
  const out: Issue[] = [];
  const fields = bulkInput(raw, [], out) as BulkInputFields | undefined;
  if (out.length || !fields) return { ok: false, error: describe(out) };
  const c = (raw as { carry?: unknown }).carry;
  if (c !== undefined && (carry(c, [], out), out.length)) return { ok: false, error: `carry: ${describe(out)}` };
  const given = [fields.orderIds !== undefined, fields.orders !== undefined, fields.total !== undefined].filter(
    Boolean,
  );
  if (given.length !== 1) return { ok: false, error: 'give exactly one of orderIds, orders, or total (chunked mode)' };
  const checked = plainCheckOrders(fields.orderIds ?? fields.orders ?? []);
  if (checked.invalid.count > 0) return { ok: false, error: describeInvalid(checked.invalid) };
  if (fields.total === undefined && checked.orders.length === 0)
    return { ok: false, error: 'orders: no order to cancel' };
  return { ok: true, value: { fields, checked } };
}
