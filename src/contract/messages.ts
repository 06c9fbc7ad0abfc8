import { ApplicationFailure, defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ConfirmArgs } from './evidence';
import type { AcceptedAnswer, CancelStatus, StepError, StepName } from './model';

export interface AbortArgs {
  reason: string;
  by?: string;
}
export interface RetryArgs {
  by?: string;
}

/** Stop the cancellation: before the pivot it compensates; after it, it skips what is left and says so. */
export const abortSignal = defineSignal<[AbortArgs]>('abort');
/**
 * Internal (sent by bulkCancelOrders on abort; served by the default handler, so not in the UI's menu): like `abort`,
 * but ignored once the provider cancelled (nothing is skipped).
 */
export const abortBeforePivotSignal = defineSignal<[AbortArgs]>('abortBeforePivot');
/** Run the step the workflow is waiting on again, with a fresh retry budget. */
export const retrySignal = defineSignal<[RetryArgs]>('retry');
/** Like `abort`, but refused (with the reason) when nothing can be aborted. */
export const abortUpdate = defineUpdate<string, [AbortArgs]>('abortCancellation');
/** Like `retry`, but refused (with the reason) when the workflow is not waiting for an operator. */
export const retryUpdate = defineUpdate<string, [RetryArgs]>('retryCancellation');
/**
 * The operator checked at the provider and the order IS cancelled there: finish as CANCELLED (refund, restock, notify).
 * Only while a cancel's provider state is unknown (a batch: for `orderIds`, default all of its unknown orders).
 */
export const confirmCancelledSignal = defineSignal<[ConfirmArgs]>('confirmCancelled');
/** The operator checked at the provider and the order is NOT cancelled there: release the hold and end (not cancelled). */
export const confirmNotCancelledSignal = defineSignal<[ConfirmArgs]>('confirmNotCancelled');
/** Like `confirmCancelled`, but refused (with the reason) when no order's provider state is unknown. */
export const confirmCancelledUpdate = defineUpdate<string, [ConfirmArgs]>('confirmProviderCancelled');
/** Like `confirmNotCancelled`, but refused (with the reason) when no order's provider state is unknown. */
export const confirmNotCancelledUpdate = defineUpdate<string, [ConfirmArgs]>('confirmProviderNotCancelled');
/**
 * The early answer for callers (sent with update-with-start): completes once the verdict is known — accepted (eligible
 * and held), awaiting an operator, or the outcome when it ended before that. Never refused; issues no command. Served
 * by the default update handler: callers use it, operators have nothing to do with it, so the UI's menu leaves it out.
 */
export const waitAcceptedUpdate = defineUpdate<AcceptedAnswer, []>('waitAccepted');
/** State, steps with attempts and last error, and the timeline. */
export const statusQuery = defineQuery<CancelStatus>('status');

/** An attempt of a step failed and will be retried at `nextAttemptAt` (sent by the worker's activities). */
export interface AttemptFailed {
  step: StepName;
  attempt: number;
  error: StepError;
  nextAttemptAt: string;
}
/**
 * Internal, sent by the worker (served by the default handler, so not in the UI's menu): lets status and the UI show
 * a retrying step's last error and next attempt.
 */
export const attemptFailedSignal = defineSignal<[AttemptFailed]>('attemptFailed');

/** What the Web UI shows under each operator message of cancelOrder (and of a batch) in its menus; input is JSON. */
export const OPERATOR_HELP = {
  abort:
    'Stop the cancellation. Before the provider cancelled: the hold is released, it ends ABORTED; after: the steps ' +
    'left are skipped. Input: {"reason": "why", "by": "you"}',
  retry: 'Run the step the cancellation waits on again, with a fresh retry budget. Input: {"by": "you"}',
  confirmCancelled:
    'Only while the provider state is unknown: you checked, the order IS cancelled at the provider; it finishes as ' +
    'CANCELLED. Input: {"by": "you", "note": "what you saw"} (a batch: "orderIds": [...], default all unknown)',
  confirmNotCancelled:
    'Only while the provider state is unknown: you checked, the order is NOT cancelled at the provider; the hold is ' +
    'released and it ends. Input: {"by": "you", "note": "what you saw"}',
  abortCancellation:
    'Like the abort signal (same input), but answers: refused with the reason when nothing can be aborted.',
  retryCancellation:
    'Like the retry signal (same input), but answers: refused with the reason when nothing waits for an operator.',
  confirmProviderCancelled:
    'Like confirmCancelled (same input), but answers: refused with the reason when nothing is unknown.',
  confirmProviderNotCancelled:
    'Like confirmNotCancelled, but answers: refused with the reason when nothing is unknown.',
  status: 'State, steps with attempts and last error, and the timeline.',
} as const satisfies Record<string, string>;

/** Failure type of an operator update's refusal; the failure converter leaves its message readable (not encrypted). */
export const REFUSED_TYPE = 'UpdateRefused';

/** An update's refusal for the operator; its message names only states, steps and order ids (nothing secret). */
export function refused(message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSED_TYPE, message, nonRetryable: true });
}
