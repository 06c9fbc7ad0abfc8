import { condition, workflowInfo } from '@temporalio/workflow';
import { endedAnswer, waitAcceptedUpdate, type AcceptedAnswer, type Outcome, type Verdict } from '../../contract/lean';
import { setInternalUpdateHandler } from '../shared/internal-messages';
import type { Tracker } from './tracker';

/**
 * The `waitAccepted` update: a caller's early answer. It completes once the verdict is known (accepted, an
 * operator awaited, or the end before the pivot); an update arriving later gets the same answer at once. The
 * handler only waits on workflow state (no timer, no command), so histories without this update replay unchanged.
 */
export class EarlyAnswer {
  private answer?: AcceptedAnswer;

  constructor(private readonly tracker: Pick<Tracker, 'state' | 'awaiting'>) {
    setInternalUpdateHandler(waitAcceptedUpdate, async () => {
      await condition(() => this.answer !== undefined || tracker.awaiting !== undefined);
      return this.answer ?? this.awaitingOperator();
    });
  }

  /** Eligible and held: the saga goes on to the provider's cancel. */
  accept(message: string): void {
    this.decide('ACCEPTED', message);
  }

  /** The cancellation ended; before the pivot its outcome is the verdict (a CANCELLED run was accepted earlier). */
  ended(outcome: Outcome, message: string): void {
    this.answer ??= endedAnswer(outcome, message, workflowInfo().runId);
  }

  /** The first verdict stands: an order once accepted stays accepted for later callers, whatever the outcome. */
  private decide(verdict: Verdict, message: string): void {
    const state = this.tracker.state;
    this.answer ??= { verdict, accepted: verdict === 'ACCEPTED', state, message, runId: workflowInfo().runId };
  }

  /** Not decided: a step before the hold waits for an operator (retry or abort); asking again later may differ. */
  private awaitingOperator(): AcceptedAnswer {
    const a = this.tracker.awaiting;
    const why = a?.error ? `: ${a.error.type}: ${a.error.message}` : '';
    return {
      verdict: 'AWAITING_OPERATOR',
      accepted: false,
      state: this.tracker.state,
      message: `step ${a?.step ?? 'unknown'} waits for an operator (retry or abort)${why}`,
      runId: workflowInfo().runId,
    };
  }
}
