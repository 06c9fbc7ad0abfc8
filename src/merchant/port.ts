/** The merchant-side steps of a cancellation (the port of the design). */
export const HOOK_STEPS = ['hold', 'releaseHold', 'refund', 'restock', 'markCancelled', 'notify'] as const;
export type HookStep = (typeof HOOK_STEPS)[number];

/** Webhook event types of the design. */
export type MerchantEventType =
  | 'cancellation.hold_requested'
  | 'cancellation.hold_released'
  | 'cancellation.refund_requested'
  | 'cancellation.restock_requested'
  | 'cancellation.completed'
  | 'cancellation.rejected'
  | 'cancellation.not_eligible'
  | 'cancellation.aborted'
  | 'cancellation.needs_attention';

/** Which event each step sends (notify names its own). */
export const STEP_EVENT: Record<Exclude<HookStep, 'notify'>, MerchantEventType> = {
  hold: 'cancellation.hold_requested',
  releaseHold: 'cancellation.hold_released',
  refund: 'cancellation.refund_requested',
  restock: 'cancellation.restock_requested',
  markCancelled: 'cancellation.completed',
};

/** Everything a hook needs; `key` is `<workflowId>/<step>` and doubles as event id and Idempotency-Key. */
export interface HookCall {
  step: HookStep;
  type: MerchantEventType;
  key: string;
  workflowId: string;
  provider: string;
  orderId: string;
  /** Workflow time of the step, so a retried call sends the same body. */
  occurredAt: string;
  data: Record<string, unknown>;
}

export type HookResult = 'done' | 'skipped';

/** Implement to plug in your own merchant integration; the default posts signed webhooks. */
export type MerchantHooks = (call: HookCall) => Promise<HookResult>;

/** The merchant refused (4xx): not retried. */
export class MerchantRefusedError extends Error {
  override readonly name = 'MerchantRefusedError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** 5xx, timeout or connection failure: retried. */
export class MerchantTransientError extends Error {
  override readonly name = 'MerchantTransientError';
}
