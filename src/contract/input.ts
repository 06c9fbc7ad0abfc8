import { z } from 'zod';
import { PROVIDER_IDS, REASON_CODES } from './providers';
import {
  DURATION_MSG,
  DURATION_RE,
  durationMs,
  INVISIBLE,
  isDuration,
  MAX_DURATION_MS,
  NOTE_MAX,
  NOTE_MSG,
  ORDER_ID_MAX,
  ORDER_ID_MSG,
} from './rules';

/** Order ids: printable, bounded, usable in a URL path and findable again; anything else is refused up front. */
export const orderIdSchema = z
  .string()
  .min(1, ORDER_ID_MSG.empty)
  .max(ORDER_ID_MAX, ORDER_ID_MSG.long)
  .refine((s) => !INVISIBLE.test(s), ORDER_ID_MSG.invisible)
  .refine((s) => s.trim() === s, ORDER_ID_MSG.whitespace)
  .refine((s) => s !== '.' && s !== '..', ORDER_ID_MSG.dots);

export const providerSchema = z.enum(PROVIDER_IDS);

export const reasonSchema = z.object({
  code: z.enum(REASON_CODES),
  note: z.string().max(NOTE_MAX, NOTE_MSG).optional(),
});

/** Durations accepted in options: milliseconds or a string like '72h', '30m', '10s'; at most 365 days. */
export const durationSchema = z
  .union([z.number().int().positive(), z.string().regex(DURATION_RE, DURATION_MSG.format)])
  // zod may still run this on a value the union refused: that one is already reported, not thrown on.
  .refine((d) => !isDuration(d) || durationMs(d) <= MAX_DURATION_MS, DURATION_MSG.max);

/** What a caller knows of an order: its status at the provider, whether it was paid, anything else it likes. */
export const snapshotObjectSchema = z
  .object({ status: z.string().min(1).max(100), paid: z.boolean().optional() })
  .passthrough();

export const cancelOrderInputSchema = z.object({
  provider: providerSchema,
  orderId: orderIdSchema,
  reason: reasonSchema,
  requestedBy: z.string().max(200).optional().describe('who asked (a user or service name), for the audit trail'),
  /** What the caller knows of the order; used when the provider has no lookup. */
  snapshot: snapshotObjectSchema
    .optional()
    .describe('what the caller knows of the order; judged when the provider has no lookup'),
  options: z
    .object({
      notifyCustomer: z.boolean().optional(),
      refund: z.boolean().optional(),
      restock: z.boolean().optional(),
      operatorTimeout: durationSchema
        .optional()
        .describe('how long a step waits for an operator before aborting: ms, or like 72h (default)'),
    })
    .optional(),
  /** Set by bulkCancelOrders on its children. */
  bulkId: z.string().max(200).optional().describe('set by bulkCancelOrders on its children; callers leave it out'),
});

export type CancelOrderInput = z.infer<typeof cancelOrderInputSchema>;

/** One line naming the first bad field, e.g. `orderId: must not be empty`. */
export function describeZodError(err: z.ZodError): string {
  return err.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

/** Parse or explain in one line; the caller decides how to throw. */
export function checkCancelOrderInput(
  raw: unknown,
): { ok: true; value: CancelOrderInput } | { ok: false; error: string } {
  const r = cancelOrderInputSchema.safeParse(raw);
  return r.success ? { ok: true, value: r.data } : { ok: false, error: describeZodError(r.error) };
}
