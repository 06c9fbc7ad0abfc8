/** Stable failure types of the design's error taxonomy; used as ApplicationFailure `type`. */
export const ErrorType = {
  Transient: 'ProviderTransientError',
  Rejected: 'ProviderRejectedError',
  Auth: 'ProviderAuthError',
  Response: 'ProviderResponseError',
  InvalidRequest: 'InvalidRequestError',
} as const;
export type ErrorType = (typeof ErrorType)[keyof typeof ErrorType];

/** Types that no retry can fix. */
export const NON_RETRYABLE_TYPES: ErrorType[] = [
  ErrorType.Rejected,
  ErrorType.Auth,
  ErrorType.Response,
  ErrorType.InvalidRequest,
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
