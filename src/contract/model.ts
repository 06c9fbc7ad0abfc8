import type { OperatorAction, ProviderCancelled, ProviderState } from './evidence';
import type { ProviderId } from './providers';
import type { StepName } from './steps';

/** Working states, in order; then the outcome becomes the state. */
export const STATES = [
  'CHECKING_ELIGIBILITY',
  'HOLDING',
  'CANCELLING_AT_PROVIDER',
  'FINALIZING',
  'NOTIFYING',
  'COMPENSATING',
  'AWAITING_OPERATOR',
] as const;
export type WorkingState = (typeof STATES)[number];

export const OUTCOMES = ['CANCELLED', 'ALREADY_CANCELLED', 'NOT_ELIGIBLE', 'REJECTED', 'ABORTED', 'FAILED'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export type State = WorkingState | Outcome;

/**
 * The early answer (update `waitAccepted`): `ACCEPTED` once the order is eligible and held (the saga goes on to the
 * provider's cancel), `AWAITING_OPERATOR` when a step before that waits for an operator, else the outcome the
 * cancellation ended with before the pivot.
 */
export const VERDICTS = [
  'ACCEPTED',
  'AWAITING_OPERATOR',
  'ALREADY_CANCELLED',
  'NOT_ELIGIBLE',
  'REJECTED',
  'FAILED',
  'ABORTED',
] as const;
export type Verdict = (typeof VERDICTS)[number];

export type { StepName } from './steps';

export interface StepError {
  type: string;
  message: string;
}

/** One saga step as an operator sees it. */
export interface StepRecord {
  name: StepName;
  status: 'running' | 'done' | 'skipped' | 'failed' | 'compensated';
  /** Activity attempts used so far (all runs of the step added up). */
  attempts: number;
  lastError?: StepError;
  note?: string;
  startedAt: string;
  endedAt?: string;
}

export interface TimelineEntry {
  at: string;
  state: State;
  message: string;
}

/** Answer of the `status` query. */
export interface CancelStatus {
  workflowId: string;
  provider: ProviderId;
  orderId: string;
  state: State;
  outcome?: Outcome;
  steps: StepRecord[];
  timeline: TimelineEntry[];
  /** Set while AWAITING_OPERATOR. */
  awaiting?: {
    step: StepName;
    since: string;
    error?: StepError;
    abortAllowed: boolean;
    /** Set when the provider's side is not known (a lost answer that could not be read back). */
    providerState?: ProviderState;
    /** Orders whose provider state is unknown (a batch); a single cancellation: its order. */
    unknownOrderIds?: string[];
    /** What the operator can do now. */
    actions?: OperatorAction[];
  };
  providerCancelled: ProviderCancelled;
  /** An asynchronous cancel's job at the provider (capabilities.asyncCancel): the order is cancelled when it is done. */
  providerJob?: ProviderJob;
}

/** A provider's job that runs an asynchronous cancel. */
export interface ProviderJob {
  id: string;
  since: string;
  state: 'pending' | 'done' | 'failed';
}

/** Result of a completed cancelOrder workflow (business outcomes never fail the workflow). */
export interface CancelOrderResult {
  outcome: Outcome;
  provider: ProviderId;
  orderId: string;
  /** Provider cancel attempts (activity attempts at the pivot). */
  attempts: number;
  steps: StepRecord[];
  /**
   * Whether the order is cancelled at the provider (true for an abort after the pivot; `'unknown'` for an abort while
   * a lost answer left the provider's side unknown).
   */
  providerCancelled: ProviderCancelled;
  /** Why it ended this way, in one line. */
  message: string;
  error?: StepError;
  bulkId?: string;
}

/** Answer of the `waitAccepted` update. */
export interface AcceptedAnswer {
  verdict: Verdict;
  /** `verdict === 'ACCEPTED'`: the cancellation goes on to the provider (its outcome is the workflow's result). */
  accepted: boolean;
  /** The state when the answer was given. */
  state: State;
  /** Why, in one line. */
  message: string;
  /** The run that answered (the one started, or the running one a request attached to). */
  runId: string;
}

/**
 * The early answer of a cancellation that has ended: its outcome as the verdict, CANCELLED as ACCEPTED (a run that
 * reached the provider's cancel was accepted before it).
 */
export function endedAnswer(outcome: Outcome, message: string, runId: string): AcceptedAnswer {
  const verdict: Verdict = outcome === 'CANCELLED' ? 'ACCEPTED' : outcome;
  return { verdict, accepted: verdict === 'ACCEPTED', state: outcome, message, runId };
}
