// The saga's business rules, written once: the single-order saga (cancel-order) and the batch workflow both read them,
// so an order gets the same steps, event data, timeouts and messages whichever path cancelled it. Pure functions of
// the input and of what the provider and the operator said (no workflow APIs): unit-testable outside a workflow.
import {
  DEFAULT_OPERATOR_TIMEOUT,
  durationMs,
  FINAL_STEPS,
  NEEDS_ATTENTION_EVENT,
  OUTCOME_EVENT,
  PROVIDER_STATE_UNKNOWN,
  type CancelOrderInput,
  type FinalStep,
  type MerchantEventType,
  type Outcome,
  type ProviderCancelled,
  type StepError,
} from '../../contract/lean';

/** The caller's options of a cancellation (the same field in the single-order and the bulk input). */
export type SagaOptions = CancelOrderInput['options'];

/** The steps after the pivot for one order, and a line for the timeline for each merchant step left out. */
export interface FinalPlan {
  steps: FinalStep[];
  notes: string[];
}

/**
 * The steps after the pivot: refund only when asked (`refund` not false) and the order is known to be paid; restock
 * unless declined; never a step the provider did itself with the cancel (`doneByProvider`); mark cancelled always.
 * In the step table's order (contract/steps.ts).
 */
export function planFinalSteps(
  options: SagaOptions,
  paid: boolean | undefined,
  doneByProvider: readonly FinalStep[] = [],
  provider = 'the provider',
): FinalPlan {
  const opts = options ?? {};
  const notes = doneByProvider.map((step) => `${step} done by ${provider} with the cancel`);
  const byProvider = (step: FinalStep) => doneByProvider.includes(step);
  // One rule per step after the pivot of the step table: a step added there must say here when it runs.
  const runs: Record<FinalStep, boolean> = {
    refund: opts.refund !== false && paid === true && !byProvider('refund'),
    restock: opts.restock !== false && !byProvider('restock'),
    markCancelled: true,
  };
  if (!runs.refund && !byProvider('refund'))
    notes.push(
      opts.refund === false ? 'refund not requested (options.refund=false)' : 'no refund: order not known to be paid',
    );
  return { steps: FINAL_STEPS.filter((step) => runs[step]), notes };
}

/** The data of `cancellation.completed` sent by the markCancelled step (the customer is notified unless declined). */
export function markCancelledData(options: SagaOptions, reason: unknown): Record<string, unknown> {
  return { outcome: 'CANCELLED', notifyCustomer: options?.notifyCustomer ?? true, reason };
}

/** How long a step waits for an operator before it aborts (the caller's `operatorTimeout`, else 72 h). */
export function operatorTimeoutMs(options: SagaOptions): number {
  return durationMs(options?.operatorTimeout ?? DEFAULT_OPERATOR_TIMEOUT);
}

/** The notification key of a run's n-th wait for an operator (its merchant call's key is `notify.<this>`). */
export function attentionKey(n: number): string {
  return `needs_attention.${n}`;
}

/**
 * The data of `cancellation.needs_attention` when a step waits for an operator; `unknown`: a lost answer left the
 * order's provider state unknown (the operator checks at the provider and confirms). `extra` (the batch number) comes
 * after step and error.
 */
export function attentionData(
  step: string,
  error: StepError,
  unknown = false,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const data = { step, error, ...extra };
  return unknown ? { ...data, providerState: 'unknown', message: PROVIDER_STATE_UNKNOWN } : data;
}

/** The event that tells the merchant how a cancellation ended: never `aborted` while the provider may have cancelled. */
export function outcomeEvent(outcome: Outcome, providerCancelled: ProviderCancelled): MerchantEventType {
  return providerCancelled === 'unknown' ? NEEDS_ATTENTION_EVENT : OUTCOME_EVENT[outcome];
}

/** The data of the outcome event; with the provider state unknown it also says so (step cancel, providerState). */
export function outcomeData(end: {
  outcome: Outcome;
  message: string;
  error?: StepError;
  providerCancelled: ProviderCancelled;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  const { outcome, message, error, providerCancelled, extra } = end;
  const data = { outcome, message, error, providerCancelled, ...extra };
  return providerCancelled === 'unknown' ? { ...data, step: 'cancel', providerState: 'unknown' } : data;
}

/** ` by <who>` when an operator named themselves, else nothing. */
const byWho = (by?: string) => (by ? ` by ${by}` : '');

/** The outcome messages both workflows give. */
export const OUTCOME_MESSAGE = {
  /** ABORTED after the pivot: what was left is skipped. */
  abortedAfterPivot: (why: string, skipped: readonly string[]) =>
    `aborted after the provider cancelled the order (cannot be undone): ${why}; skipped: ${skipped.join(', ')}`,
  /** ABORTED while a lost answer left the provider state unknown: the hold stays. */
  abortedUnknown: (why: string, where: string, by?: string) =>
    `aborted${byWho(by)} while the provider state was unknown: ${why}; ` +
    `the hold stays: check the order at ${where} and release or finish it by hand`,
  /** REJECTED by the merchant's hold. */
  merchantRefusedHold: (why: string | undefined) => `merchant refused the hold: ${why}`,
  /** REJECTED by the provider's cancel. */
  providerRefused: (provider: string, why: string | undefined) => `${provider} refused the cancel: ${why}`,
  /** An operator checked at the provider and confirmed the order cancelled. */
  confirmedCancelled: (where: string, by?: string) => `confirmed cancelled at ${where}${byWho(by)}`,
  /** An operator checked at the provider and confirmed the order NOT cancelled. */
  confirmedNotCancelled: (where: string, by?: string, note?: string) =>
    `confirmed NOT cancelled at ${where}${byWho(by)}${note ? ` (${note})` : ''}`,
} as const;
