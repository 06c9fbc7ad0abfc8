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
