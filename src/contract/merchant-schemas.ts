import { z } from 'zod';
import {
  MERCHANT_BATCH_TYPE,
  MERCHANT_EVENT_RESULTS,
  MERCHANT_EVENT_TYPES,
  type MerchantBatchAnswer,
  type MerchantEvent,
  type MerchantEventBatch,
} from './events';

/** A merchant event (the body of a per-event POST; an item of a batch's `events`). */
export const merchantEventSchema = z
  .object({
    id: z.string().min(1).describe('the event id, also its Idempotency-Key: de-duplicate on it'),
    type: z.enum(MERCHANT_EVENT_TYPES),
    occurredAt: z.string().describe('ISO time of the step (the same on a redelivery)'),
    workflowId: z.string(),
    provider: z.string(),
    orderId: z.string(),
    data: z.record(z.string(), z.unknown()),
  })
  .describe('One merchant event; per-event delivery posts it as the whole body, with header Idempotency-Key = id.');

/** The body of a batched delivery (MERCHANT_DELIVERY=batched). */
export const merchantEventBatchSchema = z
  .object({
    type: z.literal(MERCHANT_BATCH_TYPE),
    id: z.string().min(1).describe('derived from the event ids; also the header Idempotency-Key of the POST'),
    events: z.array(merchantEventSchema).min(1),
  })
  .describe(
    'Batched delivery: the events of one step of one batch in one POST (X-Signature over the raw body as for one ' +
      'event). Answer 200 with a result per event (merchant.batch.answer.json); a 4xx other than 408/413/429 refuses ' +
      'every event of the POST; 413 makes the sender split the POST; 408, 429, 5xx and timeouts resend it whole.',
  );

/** What a receiver answers (2xx) to a batched delivery. */
export const merchantBatchAnswerSchema = z
  .object({
    results: z.array(
      z.object({
        eventId: z.string(),
        result: z
          .enum(MERCHANT_EVENT_RESULTS)
          .describe('ok: taken (or a duplicate); refused: final, as a 4xx to this event alone; retry: send it again'),
        reason: z.string().optional().describe('why it was refused or not taken (shown to the operator)'),
        duplicate: z.boolean().optional(),
      }),
    ),
  })
  .describe('The answer to a batched delivery: one result per event; an event left out is sent again.');

/** Whether two types describe the same values. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// The interfaces in ./events.ts (zod-free: workflow code imports them) and these schemas describe the same payloads:
// tsc fails here when one changes without the other.
const sameShapes: [
  Same<z.infer<typeof merchantEventSchema>, MerchantEvent>,
  Same<z.infer<typeof merchantEventBatchSchema>, MerchantEventBatch>,
  Same<z.infer<typeof merchantBatchAnswerSchema>, MerchantBatchAnswer>,
] = [true, true, true];
void sameShapes;
