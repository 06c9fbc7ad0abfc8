import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  TimeoutFailure,
} from '@temporalio/workflow';
import { ErrorType, failureKind, type FailureKind, type StepError } from '../../contract/lean';

export type { FailureKind };

/** How a step ended, in the terms the saga decides on. */
export type StepOutcome<T> =
  | { ok: true; value: T; attempts: number }
  | {
      ok: false;
      kind: FailureKind;
      error: StepError;
      attempts: number;
      /** The last attempt got an HTTP answer (a status); false for a timeout, a dropped connection or an abort. */
      answered?: boolean;
    };

/**
 * Run one activity call in its own cancellable scope (so an abort can stop a step before the pivot) and turn its
 * failure into a kind. `maxAttempts` stands for the attempts used when the last one timed out.
 */
export async function runStep<T extends { attempt: number }>(
  call: () => Promise<T>,
  maxAttempts: number,
  onScope: (scope: CancellationScope | undefined) => void,
): Promise<StepOutcome<T>> {
  const scope = new CancellationScope();
  onScope(scope);
  try {
    const value = await scope.run(call);
    return { ok: true, value, attempts: value.attempt };
  } catch (err) {
    return classify(err, maxAttempts);
  } finally {
    onScope(undefined);
  }
}

function classify<T>(err: unknown, maxAttempts: number): StepOutcome<T> {
  if (isCancellation(err)) {
    return {
      ok: false,
      kind: 'cancelled',
      error: { type: ErrorType.Cancelled, message: 'stopped by abort' },
      attempts: 0,
    };
  }
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure) {
    const details = (cause.details?.[0] ?? {}) as { attempt?: number; status?: number };
    const type = cause.type ?? 'Error';
    const kind = failureKind(type, cause.nonRetryable === true);
    const answered = details.status !== undefined;
    return {
      ok: false,
      kind,
      error: { type, message: cause.message },
      attempts: details.attempt ?? maxAttempts,
      answered,
    };
  }
  if (cause instanceof TimeoutFailure) {
    return {
      ok: false,
      kind: 'transient',
      error: { type: ErrorType.Timeout, message: `no answer in time (${cause.timeoutType})` },
      attempts: maxAttempts,
    };
  }
  throw err;
}
