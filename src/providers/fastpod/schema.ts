import { z } from 'zod';

/** Order statuses FastPOD documents; others are passed through as spelled, never rejected here. */
export const FASTPOD_STATUSES = [
  'draft',
  'new_order',
  'on_hold',
  'in_production',
  'shipped',
  'cancelled',
  'rejected',
] as const;

/** The fields of a FastPOD order we read; everything else is ignored. */
export const orderSchema = z.object({
  id: z.string().min(1),
  order_status: z.string().min(1),
  payment_status: z.string().nullish(),
});
export type FastpodOrder = z.infer<typeof orderSchema>;

/** 200 answer of cancel: `{status:true, message, data:{...order}}`. */
export const cancelOkSchema = z.object({
  status: z.literal(true),
  message: z.string().optional(),
  data: orderSchema,
});

/** Lookup answers the bare order; a `{data:{...}}` wrapper (like cancel's) is tolerated too. */
export const lookupSchema = z.union([orderSchema, z.object({ data: orderSchema }).transform((w) => w.data)]);

/** Error answer, Laravel style: `{status:false, message, errors}`; `errors` may be a field → messages map. */
export const errorSchema = z.object({
  message: z.string().optional(),
  errors: z.unknown().optional(),
});
