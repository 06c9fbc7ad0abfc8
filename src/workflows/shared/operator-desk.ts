import { condition, setHandler } from '@temporalio/workflow';
import { tellBulkParent } from './bulk-parent';
import {
  abortBeforePivotSignal,
  abortSignal,
  abortUpdate,
  retrySignal,
  retryUpdate,
  statusQuery,
  type AbortArgs,
  type StepError,
  type StepName,
} from '../../contract/lean';
import { now, type TrackerBase } from './tracker-base';

/** What the desk needs from a tracker (cancelOrder's, or a batch's). */
export type DeskTracker = Pick<TrackerBase, 'state' | 'outcome' | 'awaiting' | 'log' | 'enter' | 'view'>;

/** Operator messages (signals, updates, query) and the wait for them. */
export class OperatorDesk {
  abort?: AbortArgs;
  /** A bulk abort that arrived during the provider call; applied if the saga then waits before its pivot. */
  private deferredAbort?: AbortArgs;
  private retryBy?: string;
  private retryPending = false;
  /** Cancels the running step before the pivot (set by the saga). */
  cancelCurrentStep?: () => void;

  constructor(
    private readonly tracker: DeskTracker,
    private readonly isPastPivot: () => boolean,
  ) {
    setHandler(statusQuery, () => tracker.view());
    setHandler(abortSignal, (args) => void this.requestAbort(args));
    setHandler(retrySignal, (args) => void this.requestRetry(args?.by));
    // A bulk's abort: honoured only before the pivot, so an order already cancelled still finishes its steps;
    // during the provider call it waits for the answer (cutting the call short could leave a cancel unrecorded).
    setHandler(abortBeforePivotSignal, (args) => {
      if (this.isPastPivot()) tracker.log('bulk abort ignored: the provider already cancelled; finishing');
      else if (tracker.state === 'CANCELLING_AT_PROVIDER') {
        this.deferredAbort = args;
        tracker.log('bulk abort: waiting for the provider to answer first');
      } else void this.requestAbort(args);
    });
    setHandler(abortUpdate, (args) => this.requestAbort(args), {
      validator: (args) => {
        if (!args || typeof args.reason !== 'string' || args.reason.trim() === '') {
          throw new Error('abort needs a reason');
        }
        const refusal = this.abortRefusal();
        if (refusal) throw new Error(refusal);
      },
    });
    setHandler(retryUpdate, (args) => this.requestRetry(args?.by), {
      validator: (_args) => {
        if (!tracker.awaiting) throw new Error(`nothing to retry: the cancellation is ${tracker.state}, not waiting`);
      },
    });
  }

  /** Why an abort cannot be done now, or undefined when it can. */
  abortRefusal(): string | undefined {
    if (this.tracker.outcome) return `the cancellation already ended: ${this.tracker.outcome}`;
    if (this.isPastPivot()) {
      return 'the provider already cancelled the order; it cannot be undone (the `abort` signal would skip refund/restock)';
    }
    if (this.abort) return 'an abort is already under way';
    return undefined;
  }

  /** A Temporal cancellation request (UI "Cancel", `temporal workflow cancel`) is an abort. */
  abortFromTemporal(): void {
    this.requestAbort({ reason: 'Temporal cancellation requested', by: 'temporal' });
  }

  private requestAbort(args: AbortArgs): string {
    if (this.tracker.outcome || this.abort) return this.abortRefusal() ?? 'already aborting';
    this.abort = { reason: args?.reason || 'no reason given', by: args?.by };
    this.tracker.log(`abort requested${args?.by ? ` by ${args.by}` : ''}: ${this.abort.reason}`);
    if (!this.isPastPivot()) this.cancelCurrentStep?.();
    return 'abort accepted';
  }

  private requestRetry(by?: string): string {
    if (!this.tracker.awaiting) {
      this.tracker.log(`retry ignored: not waiting for an operator (${this.tracker.state})`);
      return 'nothing to retry';
    }
    this.retryPending = true;
    this.retryBy = by;
    return 'retry accepted';
  }

  /** Wait in AWAITING_OPERATOR until retry, abort or the operator timeout (which aborts). */
  async waitForOperator(step: StepName, error: StepError, timeoutMs: number): Promise<'retry' | 'abort'> {
    const tracker = this.tracker;
    if (this.deferredAbort && !this.isPastPivot() && !this.abort) {
      this.requestAbort(this.deferredAbort);
      return 'abort';
    }
    const previous = tracker.state;
    tracker.awaiting = {
      step,
      since: now(),
      error,
      abortAllowed: !this.isPastPivot(),
      timeoutAt: new Date(Date.now() + timeoutMs).toISOString(),
    };
    tracker.enter('AWAITING_OPERATOR', `step ${step} needs an operator: ${error.type}: ${error.message}`);
    void tellBulkParent(true);
    const answered = await condition(() => this.retryPending || this.abort !== undefined, timeoutMs);
    tracker.awaiting = undefined;
    void tellBulkParent(false);
    if (!answered) {
      this.abort = { reason: `no operator answer within ${Math.round(timeoutMs / 1000)} s`, by: 'operatorTimeout' };
      tracker.log(this.abort.reason);
    }
    if (this.abort) return 'abort';
    this.retryPending = false;
    tracker.enter(previous, `retry of ${step} requested${this.retryBy ? ` by ${this.retryBy}` : ''}`);
    return 'retry';
  }
}
