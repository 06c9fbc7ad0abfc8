import { condition, setHandler } from '@temporalio/workflow';
import { tellBulkParent } from './bulk-parent';
import { setInternalSignalHandler } from './internal-messages';
import {
  abortBeforePivotSignal,
  abortSignal,
  abortUpdate,
  confirmCancelledSignal,
  confirmCancelledUpdate,
  confirmNotCancelledSignal,
  confirmNotCancelledUpdate,
  OPERATOR_HELP,
  refused,
  retrySignal,
  retryUpdate,
  statusQuery,
  type AbortArgs,
  type ConfirmArgs,
  type OperatorAction,
  type StepError,
  type StepName,
} from '../../contract/lean';
import { now, type TrackerBase } from './tracker-base';

/** What the desk needs from a tracker (cancelOrder's, or a batch's). */
export type DeskTracker = Pick<TrackerBase, 'state' | 'outcome' | 'awaiting' | 'log' | 'enter' | 'view'>;

/** An operator's word on the provider's side of orders whose cancel answer was lost. */
export interface Confirmation {
  cancelled: boolean;
  orderIds: string[];
  by?: string;
  note?: string;
}

/** How a wait for the operator ended. */
export type Decision = 'retry' | 'abort' | Confirmation;

/** Operator messages (signals, updates, query) and the wait for them. */
export class OperatorDesk {
  abort?: AbortArgs;
  /** A bulk abort that arrived during the provider call; applied if the saga then waits before its pivot. */
  private deferredAbort?: AbortArgs;
  private retryBy?: string;
  private retryPending = false;
  /** Cancels the running step before the pivot (set by the saga). */
  cancelCurrentStep?: () => void;
  /** Orders whose provider state is unknown while the saga waits (set by the saga for that wait). */
  private unknown: string[] = [];
  /** This workflow waited for an operator at least once (a bulk child then reports its end to the bulk). */
  everAwaited = false;
  private confirmation?: Confirmation;

  constructor(
    private readonly tracker: DeskTracker,
    private readonly isPastPivot: () => boolean,
  ) {
    const help = OPERATOR_HELP;
    setHandler(statusQuery, () => tracker.view(), { description: help.status });
    setHandler(abortSignal, (args) => void this.requestAbort(args), { description: help.abort });
    setHandler(retrySignal, (args) => void this.requestRetry(args?.by), { description: help.retry });
    setHandler(abortUpdate, (args) => this.requestAbort(args), {
      description: help.abortCancellation,
      validator: (args) => {
        if (!args || typeof args.reason !== 'string' || args.reason.trim() === '')
          throw refused('abort needs a reason');
        const refusal = this.abortRefusal();
        if (refusal) throw refused(refusal);
      },
    });
    setHandler(retryUpdate, (args) => this.requestRetry(args?.by), {
      description: help.retryCancellation,
      validator: (_args) => {
        if (!tracker.awaiting) throw refused(`nothing to retry: the cancellation is ${tracker.state}, not waiting`);
      },
    });
    for (const [signal, update, cancelled, about] of [
      [confirmCancelledSignal, confirmCancelledUpdate, true, [help.confirmCancelled, help.confirmProviderCancelled]],
      [
        confirmNotCancelledSignal,
        confirmNotCancelledUpdate,
        false,
        [help.confirmNotCancelled, help.confirmProviderNotCancelled],
      ],
    ] as const) {
      setHandler(signal, (args) => void this.requestConfirm(cancelled, args), { description: about[0] });
      setHandler(update, (args) => this.requestConfirm(cancelled, args), {
        description: about[1],
        validator: (args) => {
          const refusal = this.confirmRefusal(args);
          if (refusal) throw refused(refusal);
        },
      });
    }
    // A bulk's abort: honoured only before the pivot, so an order already cancelled still finishes its steps;
    // during the provider call it waits for the answer (cutting the call short could leave a cancel unrecorded).
    // Internal, so registered last (after every handler by name; see internal-messages.ts).
    setInternalSignalHandler(abortBeforePivotSignal, (args) => {
      if (this.isPastPivot()) tracker.log('bulk abort ignored: the provider already cancelled; finishing');
      else if (tracker.state === 'CANCELLING_AT_PROVIDER') {
        this.deferredAbort = args;
        tracker.log('bulk abort: waiting for the provider to answer first');
      } else void this.requestAbort(args);
    });
  }

  /** Why a confirmation cannot be taken now, or undefined when it can. */
  confirmRefusal(args?: ConfirmArgs): string | undefined {
    if (!this.tracker.awaiting || this.unknown.length === 0) {
      return `nothing to confirm: no order's provider state is unknown (the cancellation is ${this.tracker.state})`;
    }
    const ids = args?.orderIds;
    if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))) {
      return 'orderIds must be a list of order ids';
    }
    const stray = (ids ?? []).filter((id) => !this.unknown.includes(id));
    if (stray.length > 0) {
      return `orderIds: ${stray.slice(0, 5).join(', ')} ${stray.length === 1 ? 'is' : 'are'} not waiting for a confirmation (unknown: ${this.unknown.slice(0, 5).join(', ')}${this.unknown.length > 5 ? ', …' : ''})`;
    }
    return undefined;
  }

  private requestConfirm(cancelled: boolean, args: ConfirmArgs | undefined): string {
    const refusal = this.confirmRefusal(args);
    if (refusal) {
      this.tracker.log(`confirmation ignored: ${refusal}`);
      return refusal;
    }
    const orderIds = args?.orderIds?.length ? [...new Set(args.orderIds)] : [...this.unknown];
    this.confirmation = { cancelled, orderIds, by: args?.by, note: args?.note };
    const what = cancelled ? 'cancelled' : 'NOT cancelled';
    this.tracker.log(
      `operator${args?.by ? ` ${args.by}` : ''} confirmed ${orderIds.length} order(s) ${what} at the provider${args?.note ? `: ${args.note}` : ''}`,
    );
    return 'confirmation accepted';
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

  /**
   * Wait in AWAITING_OPERATOR until retry, abort, the operator timeout (which aborts) or, while `unknown` orders'
   * provider state is unknown, a confirmation of it.
   */
  async waitForOperator(
    step: StepName,
    error: StepError,
    timeoutMs: number,
    unknown: string[] = [],
  ): Promise<Decision> {
    const tracker = this.tracker;
    if (this.deferredAbort && !this.isPastPivot() && !this.abort) {
      this.requestAbort(this.deferredAbort);
      return 'abort';
    }
    const previous = tracker.state;
    this.unknown = unknown;
    this.confirmation = undefined;
    const actions: OperatorAction[] = ['retry', 'abort'];
    if (unknown.length > 0) actions.push('confirmCancelled', 'confirmNotCancelled');
    tracker.awaiting = {
      step,
      since: now(),
      error,
      abortAllowed: !this.isPastPivot(),
      timeoutAt: new Date(Date.now() + timeoutMs).toISOString(),
      ...(unknown.length > 0 ? { providerState: 'unknown' as const, unknownOrderIds: unknown } : {}),
      actions,
    };
    const unknownNote = unknown.length > 0 ? ` (provider state unknown for ${unknown.length} order(s))` : '';
    tracker.enter('AWAITING_OPERATOR', `step ${step} needs an operator${unknownNote}: ${error.type}: ${error.message}`);
    void tellBulkParent(true);
    this.everAwaited = true;
    const answered = await condition(
      () => this.retryPending || this.abort !== undefined || this.confirmation !== undefined,
      timeoutMs,
    );
    tracker.awaiting = undefined;
    this.unknown = [];
    void tellBulkParent(false);
    if (!answered) {
      this.abort = { reason: `no operator answer within ${Math.round(timeoutMs / 1000)} s`, by: 'operatorTimeout' };
      tracker.log(this.abort.reason);
    }
    if (this.abort) return 'abort';
    const confirmation = this.confirmation as Confirmation | undefined; // set by a handler during the wait
    this.confirmation = undefined;
    if (confirmation) {
      this.retryPending = false;
      tracker.enter(
        previous,
        `provider state confirmed by the operator${confirmation.by ? ` ${confirmation.by}` : ''}`,
      );
      return confirmation;
    }
    this.retryPending = false;
    tracker.enter(previous, `retry of ${step} requested${this.retryBy ? ` by ${this.retryBy}` : ''}`);
    return 'retry';
  }
}
