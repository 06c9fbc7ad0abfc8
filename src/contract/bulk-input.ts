import { z } from 'zod';
import type { BulkCarry } from './bulk-model';
import type { ProviderId } from './providers';
import {
  cancelOrderInputSchema,
  describeZodError,
  orderIdSchema,
  providerSchema,
  reasonSchema,
  type CancelOrderInput,
} from './input';
import {
  BATCH_MSG,
  BULK_ID_MSG,
  BULK_ID_RE,
  BULK_MAX,
  asText,
  clip,
  CONCURRENCY_MAX,
  MAX_BATCH,
  INLINE_MAX,
  INLINE_MSG,
  LIMITS_RANGE,
} from './rules';
import { describeInvalid } from './plain-checks';

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
  historyThreshold: z
    .number()
    .int()
    .min(LIMITS_RANGE.historyThreshold[0])
    .max(LIMITS_RANGE.historyThreshold[1])
    .optional(),
  /** Orders accepted by one run (bounds the ids held in one run's history). */
  maxOrdersPerRun: z
    .number()
    .int()
    .min(LIMITS_RANGE.maxOrdersPerRun[0])
    .max(LIMITS_RANGE.maxOrdersPerRun[1])
    .optional(),
  /** Orders waiting in the parent to be launched. */
  bufferCapacity: z.number().int().min(LIMITS_RANGE.bufferCapacity[0]).max(LIMITS_RANGE.bufferCapacity[1]).optional(),
  /** Provider calls (of batchSize ids) per batch workflow, batch providers only. */
  callsPerBatch: z.number().int().min(LIMITS_RANGE.callsPerBatch[0]).max(LIMITS_RANGE.callsPerBatch[1]).optional(),
});
export type BulkLimits = z.infer<typeof limitsSchema>;

const rawOrderSchema = z.object({ orderId: z.unknown(), snapshot: z.unknown().optional() });

export const bulkInputSchema = z.object({
  provider: providerSchema,
  bulkId: z.string().min(1, BULK_ID_MSG.empty).max(100, BULK_ID_MSG.long).regex(BULK_ID_RE, BULK_ID_MSG.chars),
  reason: reasonSchema,
  orderIds: z.array(z.unknown()).max(INLINE_MAX, INLINE_MSG).optional(),
  orders: z.array(rawOrderSchema).max(INLINE_MAX, INLINE_MSG).optional(),
  /** Chunked mode: the number of distinct orders the client will send with `addOrders` (none inline). */
  total: z.number().int().min(1).max(BULK_MAX).optional(),
  batchSize: z.number().int().min(1).max(MAX_BATCH, BATCH_MSG).optional(),
  concurrency: z.number().int().min(1).max(CONCURRENCY_MAX).optional(),
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
        out.invalid.first.push({ position: i + firstPosition, orderId: clip(asText(raw.orderId), 80), error });
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

/** Input of bulkCancelOrders; `carry` is set only by the workflow itself when it continues as new. */
export type BulkCancelInput = Partial<Omit<BulkInputFields, 'provider' | 'bulkId' | 'reason'>> &
  Pick<BulkInputFields, 'provider' | 'bulkId' | 'reason'> & { carry?: BulkCarry };

/** Input of a batch child (workflow type cancelFincartBatch; started by bulkCancelOrders only). */
export interface BatchInput {
  /** The bulk's provider (one with the batch capability); absent in inputs written before it was added. */
  provider?: ProviderId;
  bulkId: string;
  batchNo: number;
  orders: BulkOrder[];
  reason: CancelOrderInput['reason'];
  requestedBy?: string;
  options?: CancelOrderInput['options'];
  /** Most ids per provider call: a batch of more orders makes several calls, one after the other (absent: one call). */
  callSize?: number;
}
