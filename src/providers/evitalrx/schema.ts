import { z } from 'zod';

// The docs show status_code as a string; a number is accepted too so a type drift does not fail a cancel.
const statusCode = z.union([z.string(), z.number()]).transform(String);

/** Envelope of every eVitalRx answer (always HTTP 200; status_code carries the outcome). */
export const envelopeSchema = z.object({
  status_code: statusCode,
  status_message: z.string().nullish(),
  datetime: z.string().nullish(),
  ng_version: z.string().nullish(),
  data: z.unknown(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** `data` of view_v2: only the overall status is relied on. */
export const viewDataSchema = z.object({ overall_status: z.string().min(1) });

// Reason ids are documented as numbers; digit strings are accepted and converted.
const reasonId = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);

/** `data` of reject_reasons. */
export const reasonsDataSchema = z.object({
  reasons: z.array(z.object({ id: reasonId, reason: z.string() })).min(1),
});
export type RejectReason = z.infer<typeof reasonsDataSchema>['reasons'][number];
