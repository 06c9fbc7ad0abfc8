import type { HookStep, MerchantEventType } from '../contract/events';

export { HOOK_STEPS, STEP_EVENT, type HookStep, type MerchantEventType } from '../contract/events';
export { MerchantRefusedError, MerchantTransientError } from '../contract';

/** Everything a hook needs; `key` is `<workflowId>/<firstRunId>/<step>` and doubles as event id and Idempotency-Key. */
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
  /** In a `merchantHookBatch`: the key of the call that must go through first (an order's steps in their order). */
  after?: string;
}

export type HookResult = 'done' | 'skipped';

/** An HTTP status by which the merchant refuses an event for good: a 4xx other than 408 and 429 (those are retried). */
export const isRefusalStatus = (status: number): boolean =>
  status >= 400 && status < 500 && status !== 408 && status !== 429;

/** Implement to plug in your own merchant integration; the default posts signed webhooks. */
export type MerchantHooks = (call: HookCall) => Promise<HookResult>;

/**
 * How one event of a batched delivery ended: delivered (or skipped: no URL), refused by the merchant (final, as a 4xx
 * of a single event), or not taken (`retry`: sent again by the next attempt with the same id).
 */
export type EventOutcome =
  | { key: string; result: HookResult }
  | { key: string; result: 'refused'; message: string; status?: number }
  | { key: string; result: 'retry'; message: string };

/** Many merchant events in few requests (one batch's step); one outcome per call, in no particular order. */
export type MerchantBatchHooks = (calls: HookCall[]) => Promise<EventOutcome[]>;
