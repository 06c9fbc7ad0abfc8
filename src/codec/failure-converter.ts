import {
  ApplicationFailure,
  DefaultFailureConverter,
  type PayloadConverter,
  type ProtoFailure,
  type SerializationContext,
} from '@temporalio/common';
import { REFUSED_TYPE } from '../contract/messages';

/** The failure's kind (its type, info field or error class: plaintext anyway), as the visible message's start. */
function kind(f: ProtoFailure, err: unknown): string {
  if (f.applicationFailureInfo) return f.applicationFailureInfo.type || 'Error';
  if (f.activityFailureInfo) return 'ActivityFailure';
  if (f.childWorkflowExecutionFailureInfo) return 'ChildWorkflowFailure';
  if (f.canceledFailureInfo) return 'CancelledFailure';
  if (f.timeoutFailureInfo) return 'TimeoutFailure';
  if (f.terminatedFailureInfo) return 'TerminatedFailure';
  return err instanceof Error ? err.name : 'Failure';
}

/**
 * Failure messages and stack traces move into an encoded payload, so the codec encrypts them too (a provider's answer
 * can carry customer data). The Web UI decodes that payload through the codec server but lists the failure by its
 * plaintext `message`: instead of the SDK's opaque "Encoded failure" it names the failure's type (plaintext anyway)
 * and says where the text is. An update's refusal for the operator stays readable: the UI shows only its message.
 */
export class EncryptingFailureConverter extends DefaultFailureConverter {
  constructor() {
    super({ encodeCommonAttributes: true });
  }

  override errorToFailure(err: unknown, converter: PayloadConverter, context?: SerializationContext): ProtoFailure {
    if (err instanceof ApplicationFailure && err.type === REFUSED_TYPE) {
      return { ...this.errorToFailureInner(err, converter, context), stackTrace: '' }; // a refusal is no bug
    }
    const failure = super.errorToFailure(err, converter, context);
    failure.message = `${kind(failure, err)} (message encrypted: open the event to read it)`;
    return failure;
  }
}

/** Loaded by path (worker and workflow bundle, when encryption is on). */
export const failureConverter = new EncryptingFailureConverter();
