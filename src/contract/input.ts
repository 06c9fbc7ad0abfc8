import { z } from 'zod';
import { PROVIDER_IDS, REASON_CODES } from './providers';

// C0/C1 controls, invisible format characters (bidi overrides, zero-width), line/paragraph separators, lone surrogates.
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Order ids: printable, bounded, usable in a URL path and findable again; anything else is refused up front. */
export const orderIdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .refine((s) => !INVISIBLE.test(s), 'must not contain control or invisible format characters')
  .refine((s) => s.trim() === s, 'must not start or end with whitespace')
  .refine((s) => s !== '.' && s !== '..', 'must not be "." or ".." (they would change a URL path)');

export const providerSchema = z.enum(PROVIDER_IDS);

export const reasonSchema = z.object({
  code: z.enum(REASON_CODES),
  note: z.string().max(500, 'must be at most 500 characters').optional(),
});

/** Longest accepted duration: far below what a Date or a Temporal timer can hold. */
export const MAX_DURATION_MS = 365 * 86_400_000;
const DURATION_UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_RE = /^(\d+)(ms|s|m|h|d)$/;

/** Durations accepted in options: milliseconds or a string like '72h', '30m', '10s'; at most 365 days. */
export const durationSchema = z
  .union([z.number().int().positive(), z.string().regex(DURATION_RE, 'must look like 500ms, 30s, 10m, 72h or 3d')])
  // zod may still run this on a value the union refused: that one is already reported, not thrown on.
  .refine((d) => !isDuration(d) || durationMs(d) <= MAX_DURATION_MS, 'must be at most 365d');

function isDuration(d: unknown): d is number | string {
  return (typeof d === 'number' && Number.isInteger(d) && d > 0) || (typeof d === 'string' && DURATION_RE.test(d));
}

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

/** Convert an accepted duration to milliseconds. */
export function durationMs(d: number | string): number {
  if (typeof d === 'number') return d;
  const m = DURATION_RE.exec(d);
  if (!m) throw new Error(`bad duration ${d}`);
  return Number(m[1]) * DURATION_UNIT_MS[m[2] as keyof typeof DURATION_UNIT_MS];
}
