import { isGrpcServiceError, ServiceError } from '@temporalio/client';

/** gRPC codes that mean "the server is not there (yet)": unavailable and deadline exceeded. */
const UNREACHABLE_CODES = new Set([14, 4]);

/** Whether an error says the Temporal server cannot be reached now (worth waiting for), not that a call was refused. */
export function isUnreachable(err: unknown): boolean {
  const cause = err instanceof ServiceError ? (err.cause ?? err) : err;
  if (isGrpcServiceError(cause)) {
    if (UNREACHABLE_CODES.has(cause.code)) return true;
    // INTERNAL with a reset stream: the connection broke mid-call (a server killed while we waited).
    return cause.code === 13 && /RST_STREAM|Connection dropped|ECONNRESET/i.test(cause.details);
  }
  // Connection.connect's own wording when the channel never became ready.
  return err instanceof Error && /Failed to connect|failed to connect before the deadline/i.test(err.message);
}
