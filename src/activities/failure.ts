import { ApplicationFailure } from '@temporalio/activity';
import { MerchantRefusedError, MerchantTransientError, ProviderError } from '../contract';

/** Details every failure carries so the workflow can show attempts and the provider's words. */
export interface FailureDetails {
  attempt: number;
  status?: number;
  providerMessage?: string;
}

/** Turn an adapter or hook error into an ApplicationFailure with a stable `type` and the right retry behaviour. */
export function toFailure(err: unknown, attempt: number): unknown {
  if (err instanceof ProviderError) {
    const details: FailureDetails = { attempt, status: err.status, providerMessage: err.providerMessage };
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      nonRetryable: !err.retryable,
      nextRetryDelay: err.retryAfterMs,
      details: [details],
    });
  }
  if (err instanceof MerchantRefusedError) {
    return ApplicationFailure.create({
      type: err.type,
      message: err.message,
      nonRetryable: true,
      details: [{ attempt, status: err.status }],
    });
  }
  if (err instanceof MerchantTransientError) {
    return ApplicationFailure.create({ type: err.type, message: err.message, details: [{ attempt }] });
  }
  return err;
}
