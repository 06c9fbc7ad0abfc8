import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { ErrorType, MerchantRefusedError, MerchantTransientError, ProviderError } from '../contract';
import { redactCredentials } from '../providers/redact';

/** Details every failure carries so the workflow can show attempts and the provider's words. */
export interface FailureDetails {
  attempt: number;
  status?: number;
  providerMessage?: string;
}

/**
 * Turn an adapter or hook error into an ApplicationFailure with a stable `type` and the right retry behaviour. A
 * provider's Retry-After is honoured up to `maxDelayMs` (the retry policy's maximum interval), and said when capped.
 * Texts are redacted on the way (credential-shaped values), whatever adapter or injected hook built them.
 */
export function toFailure(err: unknown, attempt: number, maxDelayMs = Infinity): unknown {
  if (err instanceof ProviderError) {
    const providerMessage = err.providerMessage && redactCredentials(err.providerMessage);
    const details: FailureDetails = { attempt, status: err.status, providerMessage };
    const wait = err.retryAfterMs;
    const capped = wait !== undefined && wait > maxDelayMs;
    return ApplicationFailure.create({
      type: err.type,
      message: capped
        ? `${redactCredentials(err.message)} — asked to wait ${Math.round(wait / 1000)} s (Retry-After); retried after ${maxDelayMs} ms, the retry policy's maximum interval`
        : redactCredentials(err.message),
      nonRetryable: !err.retryable,
      // A provider refusing an order is a business answer: benign failures are logged at DEBUG, not as warnings.
      category: err.type === ErrorType.Rejected ? ApplicationFailureCategory.BENIGN : undefined,
      nextRetryDelay: capped ? maxDelayMs : wait,
      details: [details],
    });
  }
  if (err instanceof MerchantRefusedError) {
    return ApplicationFailure.create({
      type: err.type,
      message: redactCredentials(err.message),
      nonRetryable: true,
      category: ApplicationFailureCategory.BENIGN,
      details: [{ attempt, status: err.status }],
    });
  }
  if (err instanceof MerchantTransientError) {
    return ApplicationFailure.create({
      type: err.type,
      message: redactCredentials(err.message),
      details: [{ attempt }],
    });
  }
  return err;
}

/** A provider's words in a successful answer, redacted like a failure's (they land in the history too). */
export function redactAnswer<T extends { providerMessage?: string }>(answer: T): T {
  return answer.providerMessage ? { ...answer, providerMessage: redactCredentials(answer.providerMessage) } : answer;
}
