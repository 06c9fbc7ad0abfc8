import type { Outcome } from './model';

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

/** The merchant-side steps of a cancellation (the merchant port's steps). */
export const HOOK_STEPS = ['hold', 'releaseHold', 'refund', 'restock', 'markCancelled', 'notify'] as const;
export type HookStep = (typeof HOOK_STEPS)[number];

/** The one step → event table (`notify` names its own event: an outcome's, or needs_attention). */
export const STEP_EVENT: Record<Exclude<HookStep, 'notify'>, MerchantEventType> = {
  hold: 'cancellation.hold_requested',
  releaseHold: 'cancellation.hold_released',
  refund: 'cancellation.refund_requested',
  restock: 'cancellation.restock_requested',
  markCancelled: 'cancellation.completed',
};

/** The steps after the pivot, in the order an order runs them (forward only, never undone). */
export const FINAL_STEPS = ['refund', 'restock', 'markCancelled'] as const;
export type FinalStep = (typeof FINAL_STEPS)[number];

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
