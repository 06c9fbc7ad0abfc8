import { ApplicationFailure, CancellationScope } from '@temporalio/workflow';
import { ErrorType } from '../../contract/lean';

/** A workflow's body: runs to a business outcome; a Temporal cancellation becomes its abort. */
export interface Saga<R> {
  run(): Promise<R>;
  abortFromTemporal(): void;
}

export type Checked<V> = { ok: true; value: V } | { ok: false; error: string };

/**
 * The opening every workflow shares: check the input (a bad one fails the workflow, non-retryable, naming the
 * field), build the saga, turn a Temporal cancellation (UI "Cancel") into its abort, and run it where that
 * cancellation cannot cut a step short.
 */
export function runSaga<V, R>(workflowType: string, checked: Checked<V>, create: (input: V) => Saga<R>): Promise<R> {
  if (!checked.ok) {
    throw ApplicationFailure.create({
      type: ErrorType.InvalidRequest,
      message: `invalid ${workflowType} input: ${checked.error}`,
      nonRetryable: true,
    });
  }
  const saga = create(checked.value);
  CancellationScope.current().cancelRequested.catch(() => saga.abortFromTemporal());
  return CancellationScope.nonCancellable(() => saga.run());
}
