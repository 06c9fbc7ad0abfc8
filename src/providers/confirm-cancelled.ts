import { DEFAULT_ELIGIBILITY, judgeStatus } from './eligibility';
import { ProviderError, ProviderTransientError, type ProviderRejectedError } from './errors';
import type { CancelResult, CallOptions, OrderLookup, ProviderId } from './types';

/**
 * A provider refused a cancel but documents no answer for a repeat: look the order up and call it success only if
 * it really is cancelled (decided by status, never by the refusal's text); otherwise the refusal stands.
 */
export async function confirmAlreadyCancelled(
  provider: ProviderId,
  lookup: (orderId: string, opts: CallOptions) => Promise<OrderLookup>,
  orderId: string,
  refusal: ProviderRejectedError,
  opts: CallOptions,
): Promise<CancelResult> {
  let seen: OrderLookup;
  try {
    seen = await lookup(orderId, opts);
  } catch (err) {
    // A transient failure (or the caller's abort) must not turn an already-cancelled order into a rejection.
    if (!(err instanceof ProviderError) || err instanceof ProviderTransientError) throw err;
    throw refusal;
  }
  if (judgeStatus(DEFAULT_ELIGIBILITY[provider], seen.status) !== 'ALREADY_CANCELLED') throw refusal;
  return { orderId, status: 'ALREADY_CANCELLED', providerMessage: refusal.providerMessage };
}
