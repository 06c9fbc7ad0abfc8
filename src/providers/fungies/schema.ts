import { z } from 'zod';

/** Order statuses Fungies documents; others are passed through as spelled, never rejected here. */
export const FUNGIES_STATUSES = [
  'PENDING',
  'PAID',
  'FAILED',
  'UNPAID',
  'CANCELLED',
  'REFUNDED',
  'PARTIALLY_REFUNDED',
  'EXPIRED',
] as const;

/** The fields of a Fungies order we read; everything else is ignored. */
export const orderSchema = z.object({
  id: z.string().min(1),
  number: z.string().nullish(),
  status: z.string().min(1),
});

/** Success answer: `{status:"success", data:{order}}` (the same envelope for cancel and lookup). */
export const okSchema = z.object({
  status: z.literal('success'),
  data: z.object({ order: orderSchema }),
});

/** Error answer `{status:"error", error:{message}}`; their client warns it may come with HTTP 200. */
export const errorSchema = z.object({
  status: z.literal('error'),
  error: z.object({ message: z.string().optional() }).nullish(),
});

/** Whether money is held: yes for PAID/PARTIALLY_REFUNDED; unknown for CANCELLED (cancel does not refund). */
export function paidFromStatus(status: string): boolean | undefined {
  if (status === 'PAID' || status === 'PARTIALLY_REFUNDED') return true;
  if (status === 'CANCELLED') return undefined;
  return (FUNGIES_STATUSES as readonly string[]).includes(status) ? false : undefined;
}
