/**
 * The one error taxonomy: every failure `type` the code raises or matches (the ApplicationFailure `type`, a step's
 * `lastError.type`), the error classes behind them, and the total `type → failure kind` map the saga decides on.
 */
export const ErrorType = {
  Transient: 'ProviderTransientError',
  Rejected: 'ProviderRejectedError',
  Auth: 'ProviderAuthError',
  Response: 'ProviderResponseError',
  InvalidRequest: 'InvalidRequestError',
  Config: 'ProviderConfigError',
  MerchantRefused: 'MerchantRefusedError',
  MerchantTransient: 'MerchantTransientError',
  Timeout: 'Timeout',
  Cancelled: 'Cancelled',
  CompensationFailed: 'CompensationFailed',
  /** An asynchronous cancel's job is still running: its poll is retried after the poll interval (never a failure). */
  JobPending: 'CancelJobPending',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** What the saga does with a failure: retry/wait for an operator, or end with an outcome. */
export type FailureKind =
  'transient' | 'rejected' | 'auth' | 'response' | 'invalid' | 'config' | 'merchantRefused' | 'cancelled';

/** Total: adding an ErrorType without its kind does not compile. */
export const FAILURE_KIND: Record<ErrorType, FailureKind> = {
  ProviderTransientError: 'transient',
  ProviderRejectedError: 'rejected',
  ProviderAuthError: 'auth',
  ProviderResponseError: 'response',
  InvalidRequestError: 'invalid',
  ProviderConfigError: 'config',
  MerchantRefusedError: 'merchantRefused',
  MerchantTransientError: 'transient',
  Timeout: 'transient',
  Cancelled: 'cancelled',
  CancelJobPending: 'transient',
  // Only recorded on a failed undo (the other undos still run); never decided on.
  CompensationFailed: 'invalid',
};

/** The kind of a failure type; an unknown type (a bug, an SDK error) by whether it may be retried. */
export function failureKind(type: string, nonRetryable: boolean): FailureKind {
  return (FAILURE_KIND as Record<string, FailureKind>)[type] ?? (nonRetryable ? 'invalid' : 'transient');
}

/** Provider failure types no retry can fix. */
export const NON_RETRYABLE_TYPES: ErrorType[] = [
  ErrorType.Rejected,
  ErrorType.Auth,
  ErrorType.Response,
  ErrorType.InvalidRequest,
  ErrorType.Config,
];

export interface ProviderErrorDetails {
  provider: string;
  /** HTTP status, when an answer arrived. */
  status?: number;
  /** Provider's own code or message, shortened; never contains credentials. */
  providerMessage?: string;
  /** Milliseconds the provider asked us to wait (Retry-After). */
  retryAfterMs?: number;
}

/** Base of every adapter error: fixed `name`, stable `type`, no secrets in the message. */
export abstract class ProviderError extends Error {
  abstract readonly type: ErrorType;
  readonly provider: string;
  readonly status?: number;
  readonly providerMessage?: string;
  readonly retryAfterMs?: number;

  constructor(message: string, details: ProviderErrorDetails) {
    super(message);
    this.provider = details.provider;
    this.status = details.status;
    this.providerMessage = details.providerMessage;
    this.retryAfterMs = details.retryAfterMs;
  }

  get retryable(): boolean {
    return !NON_RETRYABLE_TYPES.includes(this.type);
  }
}

/** 5xx, 429, timeouts, connection errors: worth another try. */
export class ProviderTransientError extends ProviderError {
  override readonly name = 'ProviderTransientError';
  readonly type = ErrorType.Transient;
}

/** The provider refused this order (not cancellable, unknown, business 4xx). */
export class ProviderRejectedError extends ProviderError {
  override readonly name = 'ProviderRejectedError';
  readonly type = ErrorType.Rejected;
}

/** Credentials refused: a configuration problem, not the order's. */
export class ProviderAuthError extends ProviderError {
  override readonly name = 'ProviderAuthError';
  readonly type = ErrorType.Auth;
}

/** The answer does not match the documented shape. */
export class ProviderResponseError extends ProviderError {
  override readonly name = 'ProviderResponseError';
  readonly type = ErrorType.Response;
}

/** Our own input is invalid (e.g. an empty order id). */
export class InvalidRequestError extends ProviderError {
  override readonly name = 'InvalidRequestError';
  readonly type = ErrorType.InvalidRequest;
}

/** An adapter's configuration is unusable, or the provider is disabled on this worker (no credentials). */
export class ProviderConfigError extends ProviderError {
  override readonly name = 'ProviderConfigError';
  readonly type = ErrorType.Config;
}

/** The merchant refused (4xx): not retried. */
export class MerchantRefusedError extends Error {
  override readonly name = 'MerchantRefusedError';
  readonly type = ErrorType.MerchantRefused;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** 5xx, timeout or connection failure at the merchant: retried. */
export class MerchantTransientError extends Error {
  override readonly name = 'MerchantTransientError';
  readonly type = ErrorType.MerchantTransient;
}

/** A client's input refused before anything started; the message is one line naming the field. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
}

/** The workflow refused an operator's request (retry, abort); the message is its reason. */
export class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

/** A bad environment variable; the message is one line naming the variable (never its value). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A payload that cannot be decrypted: its key is not configured, or it fails authentication. Names the key id. */
export class PayloadEncryptionError extends Error {
  override readonly name = 'PayloadEncryptionError';
  constructor(
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
  }
}
