import { z } from 'zod';
import type { BulkCarry } from './bulk-model';
import {
  cancelOrderInputSchema,
  describeZodError,
  orderIdSchema,
  providerSchema,
  reasonSchema,
  type CancelOrderInput,
} from './input';

/** Most orders carried inline in the workflow input; larger bulks are sent in chunks (see docs/bulk.md). */
export const INLINE_MAX = 1_000;
/** Largest chunk the `addOrders` update takes (~70 KB of ids at 64 characters). */
export const CHUNK_MAX = 1_000;
/** Most orders in one bulk. */
export const BULK_MAX = 100_000;
/** Fincart's adapter sends at most 100 ids per call. */
export const FINCART_MAX_BATCH = 100;

export const snapshotSchema = cancelOrderInputSchema.shape.snapshot;
export type Snapshot = z.infer<NonNullable<typeof snapshotSchema>>;

/** One order of a bulk: its id and, optionally, what the caller knows of it. */
export interface BulkOrder {
  orderId: string;
  snapshot?: Snapshot;
}

/** Tuning for tests and benchmarks; the defaults keep each run far below Temporal's limits. */
export const limitsSchema = z.object({
  /** Continue-as-new once a run's history reaches this many events. */
  historyThreshold: z.number().int().min(100).max(10_000).optional(),
  /** Orders accepted by one run (bounds the ids held in one run's history). */
  maxOrdersPerRun: z.number().int().min(1).max(20_000).optional(),
  /** Orders waiting in the parent to be launched. */
  bufferCapacity: z.number().int().min(1).max(5_000).optional(),
});
export type BulkLimits = z.infer<typeof limitsSchema>;

const rawOrderSchema = z.object({ orderId: z.unknown(), snapshot: z.unknown().optional() });

export const bulkInputSchema = z.object({
  provider: providerSchema,
  bulkId: z
    .string()
    .min(1, 'must not be empty')
    .max(100, 'must be at most 100 characters')
    .regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, dash and underscore only'),
  reason: reasonSchema,
  orderIds: z
    .array(z.unknown())
    .max(INLINE_MAX, `at most ${INLINE_MAX} inline; send more with the bulk client`)
    .optional(),
  orders: z
    .array(rawOrderSchema)
    .max(INLINE_MAX, `at most ${INLINE_MAX} inline; send more with the bulk client`)
    .optional(),
  /** Chunked mode: the number of distinct orders the client will send with `addOrders` (none inline). */
  total: z.number().int().min(1).max(BULK_MAX).optional(),
  batchSize: z
    .number()
    .int()
    .min(1)
    .max(FINCART_MAX_BATCH, `at most ${FINCART_MAX_BATCH} (the adapter's limit)`)
    .optional(),
  concurrency: z.number().int().min(1).max(500).optional(),
  requestedBy: z.string().max(200).optional(),
  options: cancelOrderInputSchema.shape.options,
  limits: limitsSchema.optional(),
});
export type BulkInputFields = z.infer<typeof bulkInputSchema>;

/** A refused id and where it was (1-based position in the list). */
export interface InvalidId {
  position: number;
  orderId: string;
  error: string;
}

export interface CheckedOrders {
  orders: BulkOrder[];
  duplicates: { count: number; sample: string[] };
  invalid: { count: number; first: InvalidId[] };
}

/** Validate each order (with its position), drop duplicates keeping the first. */
export function checkOrders(list: readonly unknown[], firstPosition = 1): CheckedOrders {
  const seen = new Set<string>();
  const out: CheckedOrders = { orders: [], duplicates: { count: 0, sample: [] }, invalid: { count: 0, first: [] } };
  list.forEach((item, i) => {
    const raw =
      typeof item === 'object' && item !== null && 'orderId' in item
        ? (item as { orderId: unknown; snapshot?: unknown })
        : { orderId: item };
    const id = orderIdSchema.safeParse(raw.orderId);
    const snap = raw.snapshot === undefined ? undefined : snapshotSchema.safeParse(raw.snapshot);
    const error = !id.success
      ? describeZodError(id.error).replace(/^input: /, '')
      : snap && !snap.success
        ? `snapshot: ${describeZodError(snap.error)}`
        : undefined;
    if (error) {
      out.invalid.count += 1;
      if (out.invalid.first.length < 20)
        out.invalid.first.push({ position: i + firstPosition, orderId: clip(String(raw.orderId), 80), error });
      return;
    }
    const orderId = id.data as string;
    if (seen.has(orderId)) {
      out.duplicates.count += 1;
      if (out.duplicates.sample.length < 20) out.duplicates.sample.push(orderId);
      return;
    }
    seen.add(orderId);
    out.orders.push(snap?.success && snap.data ? { orderId, snapshot: snap.data } : { orderId });
  });
  return out;
}

/** One line naming the refused ids and their positions. */
export function describeInvalid(invalid: CheckedOrders['invalid']): string {
  const shown = invalid.first.slice(0, 5).map((e) => `#${e.position} ${JSON.stringify(e.orderId)}: ${e.error}`);
  const more = invalid.count > shown.length ? `; and ${invalid.count - shown.length} more` : '';
  return `${invalid.count} invalid order id(s): ${shown.join('; ')}${more}`;
}

export type CheckedBulk = { fields: BulkInputFields; checked: CheckedOrders };

/**
 * The shape of a continue-as-new carry (set by the workflow itself; a raw start with a bad one must be refused, not
 * crash every workflow task). Lists are checked as lists only: their items were checked when they came in.
 */
const count = z.number().int().min(0);
const carrySchema = z.object({
  run: count,
  total: count,
  received: count,
  nextSeq: count,
  buffer: z.array(z.unknown()),
  done: count,
  byOutcome: z.record(z.string(), count),
  notCancelled: z.array(z.unknown()),
  notCancelledOmitted: count,
  batches: count,
  duplicatesRemoved: count,
  runHistoryLengths: z.array(count),
  maxHistoryLength: count,
});

/** Parse the bulk input; ids are checked one by one so every refusal names its position. */
export function checkBulkInput(raw: unknown): { ok: true; value: CheckedBulk } | { ok: false; error: string } {
  const r = bulkInputSchema.safeParse(raw);
  if (!r.success) return { ok: false, error: describeZodError(r.error) };
  const carry = (raw as { carry?: unknown }).carry;
  if (carry !== undefined) {
    const c = carrySchema.safeParse(carry);
    if (!c.success) return { ok: false, error: `carry: ${describeZodError(c.error)}` };
  }
  const f = r.data;
  const given = [f.orderIds !== undefined, f.orders !== undefined, f.total !== undefined].filter(Boolean).length;
  if (given !== 1) return { ok: false, error: 'give exactly one of orderIds, orders, or total (chunked mode)' };
  const checked = checkOrders(f.orderIds ?? f.orders ?? []);
  if (checked.invalid.count > 0) return { ok: false, error: describeInvalid(checked.invalid) };
  if (f.total === undefined && checked.orders.length === 0) return { ok: false, error: 'orders: no order to cancel' };
  return { ok: true, value: { fields: f, checked } };
}

export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** Input of bulkCancelOrders; `carry` is set only by the workflow itself when it continues as new. */
export type BulkCancelInput = Partial<Omit<BulkInputFields, 'provider' | 'bulkId' | 'reason'>> &
  Pick<BulkInputFields, 'provider' | 'bulkId' | 'reason'> & { carry?: BulkCarry };

/** Refusal messages of `addOrders` that mean "send the same chunk again shortly". */
export const BUSY = 'BUSY';

/** Input of cancelFincartBatch (started by bulkCancelOrders only). */
export interface FincartBatchInput {
  bulkId: string;
  batchNo: number;
  orders: BulkOrder[];
  reason: CancelOrderInput['reason'];
  requestedBy?: string;
  options?: CancelOrderInput['options'];
}
