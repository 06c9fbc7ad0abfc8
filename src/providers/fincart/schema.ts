import { z } from 'zod';

/** The documented 200 answer of the bulk cancel. */
export const cancelOkSchema = z.object({
  statusCode: z.number().optional(),
  message: z.string().optional(),
  data: z.object({ status: z.string(), msg: z.string().optional() }),
});

/** Error answers (the documented 403; refusals are assumed to share its shape, see docs/providers/fincart.md). */
export const errorSchema = z.object({
  statusCode: z.number().optional(),
  message: z.union([z.string(), z.array(z.string())]),
  errors: z.array(z.unknown()).optional(),
});
export type FincartError = z.infer<typeof errorSchema>;
