/**
 * Evidence for a cancel whose answer may have been lost (a crash, an outage, a timeout, a refusal of a repeat): what
 * the provider's side is, read back from the provider or confirmed by an operator. Nothing unknown is told as fact.
 */

/** The provider's side of one order after a possibly-lost answer. */
export type ProviderState = 'cancelled' | 'not_cancelled' | 'unknown';

/** Whether the provider cancelled the order: `'unknown'` when the cancellation ended before anyone could tell. */
export type ProviderCancelled = boolean | 'unknown';

/** One order read back at the provider (activity `readBackOrders`), judged by the provider's status rules. */
export interface ReadBack {
  orderId: string;
  state: ProviderState;
  /** The provider's status as it spells it, when it answered. */
  status?: string;
  /** Not cancelled and its status still allows a cancel (so a refusal was about other ids of the same call). */
  cancellable?: boolean;
  /** Where the evidence came from, or why there is none (one line). */
  note: string;
}

/** Arguments of `confirmCancelled` / `confirmNotCancelled`: who checked, what they saw, and (a batch) which orders. */
export interface ConfirmArgs {
  by?: string;
  note?: string;
  /** A batch: the orders the operator checked (default: every order whose provider state is unknown). */
  orderIds?: string[];
}

/** What the operator can do while a step waits (shown by `status`, the CLI and the Web UI's details). */
export type OperatorAction = 'retry' | 'abort' | 'confirmCancelled' | 'confirmNotCancelled';

/** The merchant's `needs_attention` text while the provider's side is unknown. */
export const PROVIDER_STATE_UNKNOWN =
  'provider state unknown: the cancel may have gone through (its answer was lost) and the provider cannot tell; ' +
  'an operator checks at the provider and confirms';
