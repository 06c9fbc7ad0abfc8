import { DEFAULT_ELIGIBILITY, judgeStatus } from './eligibility';
import { ProviderError, ProviderRejectedError, ProviderTransientError } from '../contract/errors';
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

/**
 * Run a cancel; a refusal other than "no such order" (404) is checked against the order itself, so a repeat on an
 * already-cancelled order is success.
 */
export async function cancelOrConfirm(
  provider: ProviderId,
  lookup: (orderId: string, opts: CallOptions) => Promise<OrderLookup>,
  orderId: string,
  opts: CallOptions,
  attempt: () => Promise<CancelResult>,
): Promise<CancelResult> {
  try {
    return await attempt();
  } catch (err) {
    if (err instanceof ProviderRejectedError && err.status !== 404) {
      return confirmAlreadyCancelled(provider, lookup, orderId, err, opts);
    }
    throw err;
  }
}
