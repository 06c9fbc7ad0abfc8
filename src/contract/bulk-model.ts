import type { BulkOrder } from './bulk-input';
import type { ProviderCancelled } from './evidence';
import type { Outcome } from './model';
import type { ProviderId } from './providers';

/** An order's end in a bulk: a cancellation outcome, or never started (abort), or left to a cancel already running. */
export type BulkOutcome = Outcome | 'NOT_STARTED' | 'ALREADY_RUNNING';
export type BulkState = 'RUNNING' | 'ABORTING' | 'DONE' | 'ABORTED';

/** Outcomes that mean "the order is cancelled". */
export const CANCELLED_OUTCOMES: readonly BulkOutcome[] = ['CANCELLED', 'ALREADY_CANCELLED'];
/** Most not-cancelled orders listed in the result and carried across continue-as-new (the rest are counted). */
export const NOT_CANCELLED_LISTED = 1_000;

export interface NotCancelled {
  orderId: string;
  outcome: BulkOutcome;
  reason: string;
}

/** Answer of the `progress` query (small at any size: counts only). */
export interface BulkProgress {
  bulkId: string;
  provider: ProviderId;
  state: BulkState;
  total: number;
  received: number;
  done: number;
  byOutcome: Partial<Record<BulkOutcome, number>>;
  /** Orders in children that have not finished. */
  inFlight: number;
  inFlightChildren: number;
  /** Children waiting for an operator (list them: CancelBulkId = "<bulkId>" AND CancelState = "AWAITING_OPERATOR"). */
  awaitingOperator: number;
  /** Orders in those children: counted apart from the window, which they leave while they wait. */
  awaitingOperatorOrders?: number;
  run: number;
  historyLength: number;
}

/** Result of a bulk: counts, and the ids that did not cancel (first NOT_CANCELLED_LISTED). */
export interface BulkResult {
  bulkId: string;
  provider: ProviderId;
  state: 'DONE' | 'ABORTED';
  total: number;
  byOutcome: Partial<Record<BulkOutcome, number>>;
  cancelled: number;
  notCancelled: NotCancelled[];
  notCancelledOmitted: number;
  /** Where to find every order's outcome, including the ones not listed. */
  howToList: string;
  duplicatesRemoved: number;
  runs: number;
  /** History length of each run when it ended (last 100 runs) and the largest seen. */
  runHistoryLengths: number[];
  maxHistoryLength: number;
  abort?: { reason: string; by?: string };
}

/** What one run hands the next across continue-as-new (bounded: see docs/bulk.md). */
export interface BulkCarry {
  run: number;
  total: number;
  received: number;
  nextSeq: number;
  buffer: BulkOrder[];
  done: number;
  byOutcome: Partial<Record<BulkOutcome, number>>;
  notCancelled: NotCancelled[];
  notCancelledOmitted: number;
  batches: number;
  duplicatesRemoved: number;
  runHistoryLengths: number[];
  maxHistoryLength: number;
  /**
   * Children waiting for an operator when the run continued as new (they left the window): workflow id → orders.
   * They report their end with `childEnded`; the bulk finishes only when none is left.
   */
  parked?: Record<string, number>;
}

/** One order's end inside its batch. */
export interface BatchOrderResult {
  orderId: string;
  outcome: Outcome;
  message: string;
  providerCancelled: ProviderCancelled;
}

export interface BatchResult {
  batchNo: number;
  results: BatchOrderResult[];
}
