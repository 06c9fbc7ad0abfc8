// Duck-typed like the SDK's own checks, so that importing this does not load @temporalio/client (CLI start-up).
/** The SDK's ServiceError (its name is set by the SDK on the class), whose cause is the gRPC error. */
export function isServiceError(err: unknown): err is Error & { cause?: unknown } {
  return err instanceof Error && err.name === 'ServiceError';
}

/** A gRPC error: a numeric code, string details and metadata (@temporalio/client's isGrpcServiceError). */
function isGrpcServiceError(err: unknown): err is Error & { code: number; details: string } {
  const e = err as { details?: unknown; metadata?: unknown; code?: unknown } | undefined;
  return err instanceof Error && typeof e?.details === 'string' && typeof e.metadata === 'object' && !!e.metadata;
}

/** gRPC codes that mean "the server is not there (yet)": unavailable and deadline exceeded. */
const UNREACHABLE_CODES = new Set([14, 4]);

/** Whether an error says the Temporal server cannot be reached now (worth waiting for), not that a call was refused. */
export function isUnreachable(err: unknown): boolean {
  const cause = isServiceError(err) ? (err.cause ?? err) : err;
  if (isGrpcServiceError(cause)) {
    if (UNREACHABLE_CODES.has(cause.code)) return true;
    // INTERNAL with a reset stream: the connection broke mid-call (a server killed while we waited).
    return cause.code === 13 && /RST_STREAM|Connection dropped|ECONNRESET/i.test(cause.details);
  }
  // Connection.connect's own wording when the channel never became ready.
  return err instanceof Error && /Failed to connect|failed to connect before the deadline/i.test(err.message);
}
