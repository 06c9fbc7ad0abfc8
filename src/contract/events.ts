import type { Outcome } from './model';
import { STEP_EVENTS, type EventStep } from './steps';

export { FINAL_STEPS, HOOK_STEPS, type FinalStep, type HookStep } from './steps';

/** Webhook event types sent to the merchant. */
export const MERCHANT_EVENT_TYPES = [
  'cancellation.hold_requested',
  'cancellation.hold_released',
  'cancellation.refund_requested',
  'cancellation.restock_requested',
  'cancellation.completed',
  'cancellation.rejected',
  'cancellation.not_eligible',
  'cancellation.aborted',
  'cancellation.needs_attention',
] as const;
export type MerchantEventType = (typeof MERCHANT_EVENT_TYPES)[number];

/** Step → event, from the step table (`notify` names its own event: an outcome's, or needs_attention). */
export const STEP_EVENT: Record<EventStep, MerchantEventType> = STEP_EVENTS;

/** The one outcome → event table: what the merchant is told when a cancellation ends. */
export const OUTCOME_EVENT: Record<Outcome, MerchantEventType> = {
  CANCELLED: 'cancellation.completed',
  ALREADY_CANCELLED: 'cancellation.completed',
  NOT_ELIGIBLE: 'cancellation.not_eligible',
  REJECTED: 'cancellation.rejected',
  // No separate event for FAILED: `data.outcome` says FAILED.
  FAILED: 'cancellation.rejected',
  ABORTED: 'cancellation.aborted',
};

/** Sent each time a step waits for an operator. */
export const NEEDS_ATTENTION_EVENT: MerchantEventType = 'cancellation.needs_attention';

/** One merchant event as posted (per-event delivery: the whole body; batched: one item of `events`). */
export interface MerchantEvent {
  /** The event's own id, also its Idempotency-Key: a receiver de-duplicates on it. */
  id: string;
  type: MerchantEventType;
  occurredAt: string;
  workflowId: string;
  provider: string;
  orderId: string;
  data: Record<string, unknown>;
}

/** The `type` of a batched delivery's body; each of its events keeps its own type and id. */
export const MERCHANT_BATCH_TYPE = 'cancellation.batch';

/** Batched delivery: one signed POST carrying the events of one step of one batch (at most the size caps). */
export interface MerchantEventBatch {
  type: typeof MERCHANT_BATCH_TYPE;
  /** Derived from the event ids (the POST's Idempotency-Key): the same events sent again carry the same id. */
  id: string;
  events: MerchantEvent[];
}

/**
 * A receiver's answer per event of a batch: `ok` (taken, or a duplicate of an event taken before), `refused` (final,
 * as a 4xx to that event alone: a refused hold rejects that order), `retry` (not taken now; sent again with its id).
 */
export const MERCHANT_EVENT_RESULTS = ['ok', 'refused', 'retry'] as const;
export type MerchantEventResult = (typeof MERCHANT_EVENT_RESULTS)[number];

/** The 2xx answer to a batch: one result per event (an event left out counts as `retry`). */
export interface MerchantBatchAnswer {
  results: { eventId: string; result: MerchantEventResult; reason?: string; duplicate?: boolean }[];
}
