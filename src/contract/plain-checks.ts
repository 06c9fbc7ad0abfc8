import type { BulkInputFields, BulkOrder, CheckedBulk, CheckedOrders, Snapshot } from './bulk-input';
import type { CancelOrderInput } from './input';
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
  FINCART_MAX_BATCH,
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

type Key = string | number;
interface Issue {
  path: Key[];
  message: string;
}
type Obj = Record<string, unknown>;
/** Checks one value at a path; returns what zod would output, or undefined after reporting an issue. */
type Check<T> = (v: unknown, at: Key[], out: Issue[]) => T | undefined;

/** One line naming the first bad fields, as describeZodError words it. */
function describe(issues: Issue[]): string {
  return issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

/** zod's name of what it received. */
function received(v: unknown): string {
  if (typeof v === 'number') return Number.isFinite(v) ? 'number' : String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') {
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null && typeof proto.constructor === 'function')
      return proto.constructor.name;
  }
  return typeof v;
}

const expected = (what: string, v: unknown) => `Invalid input: expected ${what}, received ${received(v)}`;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A string rule: a length bound (zod measures code points, and applies bounds even to a non-string with a length) or a test. */
type Rule = { min: number; message?: string } | { max: number; message?: string } | [(s: string) => boolean, string];

const str =
  (rules: Rule[] = []): Check<string> =>
  (v, at, out) => {
    const n = out.length;
    const isString = typeof v === 'string';
    if (!isString) out.push({ path: at, message: expected('string', v) });
    for (const rule of rules) {
      if (Array.isArray(rule)) {
        if (isString && !rule[0](v)) out.push({ path: at, message: rule[1] });
      } else if (v !== null && v !== undefined && (v as { length?: unknown }).length !== undefined) {
        const message = lengthIssue(v as { length: unknown }, rule);
        if (message) out.push({ path: at, message });
      }
    }
    return out.length === n ? (v as string) : undefined;
  };

/** What zod says of a length bound, or undefined when it holds (same comparisons, so the same odd cases). */
function lengthIssue(
  v: { length: unknown },
  rule: { min: number; message?: string } | { max: number; message?: string },
) {
  const units = v.length as number;
  const what = typeof v === 'string' ? 'string' : Array.isArray(v) ? 'array' : 'unknown';
  const unit = what === 'string' ? 'characters' : 'items';
  if ('max' in rule) {
    const length = typeof v === 'string' && units > rule.max ? [...v].length : units;
    if (length <= rule.max) return undefined;
    const bound = what === 'unknown' ? `to be <=${rule.max}` : `to have <=${rule.max} ${unit}`;
    return rule.message ?? `Too big: expected ${what} ${bound}`;
  }
  const length = typeof v === 'string' && units >= rule.min && units < rule.min * 2 ? [...v].length : units;
  if (length >= rule.min) return undefined;
  const bound = what === 'unknown' ? `to be >=${rule.min}` : `to have >=${rule.min} ${unit}`;
  return rule.message ?? `Too small: expected ${what} ${bound}`;
}

const oneOf =
  <T extends string>(values: readonly T[]): Check<T> =>
  (v, at, out) => {
    if ((values as readonly unknown[]).includes(v)) return v as T;
    out.push({ path: at, message: `Invalid option: expected one of ${values.map((x) => `"${x}"`).join('|')}` });
    return undefined;
  };

const bool: Check<boolean> = (v, at, out) =>
  typeof v === 'boolean' ? v : void out.push({ path: at, message: expected('boolean', v) });

const int =
  (min: number, max = Number.MAX_SAFE_INTEGER, maxMessage?: string): Check<number> =>
  (v, at, out) => {
    if (typeof v !== 'number' || !Number.isFinite(v))
      return void out.push({ path: at, message: expected('number', v) });
    if (!Number.isInteger(v))
      return void out.push({ path: at, message: 'Invalid input: expected int, received number' });
    const n = out.length;
    unsafe(v, at, out);
    if (v < min) out.push({ path: at, message: `Too small: expected number to be >=${min}` });
    if (v > max) out.push({ path: at, message: maxMessage ?? `Too big: expected number to be <=${max}` });
    return out.length === n ? v : undefined;
  };

/** zod's int is a safe integer: past the range it reports the bound before any other. */
function unsafe(v: number, at: Key[], out: Issue[]): void {
  if (v < Number.MIN_SAFE_INTEGER)
    out.push({ path: at, message: `Too small: expected int to be >=${Number.MIN_SAFE_INTEGER}` });
  else if (v > Number.MAX_SAFE_INTEGER)
    out.push({ path: at, message: `Too big: expected int to be <=${Number.MAX_SAFE_INTEGER}` });
}

/** An optional key: absent or undefined passes (and stays out of the output). */
const opt =
  <T>(check: Check<T>): Check<T | undefined> =>
  (v, at, out) =>
    v === undefined ? undefined : check(v, at, out);

/** An object of known keys (unknown keys dropped, or kept with `passthrough`), keys checked in order. */
function object(shape: Record<string, Check<unknown>>, passthrough = false): Check<Obj> {
  return (v, at, out) => {
    if (!isObj(v)) return void out.push({ path: at, message: expected('object', v) });
    const n = out.length;
    const value: Obj = passthrough ? { ...v } : {};
    for (const [key, check] of Object.entries(shape)) {
      const parsed = check(v[key], [...at, key], out);
      if (parsed !== undefined) value[key] = parsed;
    }
    return out.length === n ? value : undefined;
  };
}

const array =
  <T>(item: Check<T>, max: number, maxMessage: string): Check<T[]> =>
  (v, at, out) => {
    if (!Array.isArray(v)) return void out.push({ path: at, message: expected('array', v) });
    const n = out.length;
    const value = v.map((x, i) => item(x, [...at, i], out) as T);
    if (v.length > max) out.push({ path: at, message: maxMessage });
    return out.length === n ? value : undefined;
  };

const anything: Check<unknown> = (v) => v;
const required: Check<unknown> = (v, at, out) =>
  v === undefined ? void out.push({ path: at, message: expected('nonoptional', v) }) : v;

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
  batchSize: opt(int(1, FINCART_MAX_BATCH, BATCH_MSG)),
  concurrency: opt(int(1, CONCURRENCY_MAX)),
  requestedBy: opt(str([{ max: 200 }])),
  options: opt(options),
  limits: opt(
    object({
      historyThreshold: range('historyThreshold'),
      maxOrdersPerRun: range('maxOrdersPerRun'),
      bufferCapacity: range('bufferCapacity'),
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
