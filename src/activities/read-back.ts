import { ProviderError, ProviderTransientError } from '../contract/errors';
import type { ReadBack } from '../contract/evidence';
import { judgeStatus, type EligibilityRules } from '../providers/eligibility';
import { mapLimited } from '../providers/limit';
import type { CallOptions, ProviderAdapter } from '../providers/types';

/** Orders read back at once (a batch's ids): a few in parallel, well under any provider's rate. */
const READ_BACK_CONCURRENCY = 8;

/**
 * Read each order back and judge it by the provider's rules. A transient failure throws (the activity's retry
 * reads again); a provider that cannot read orders back, or an answer that settles nothing, gives `unknown`.
 */
export async function readBackOrders(
  adapter: ProviderAdapter,
  rules: EligibilityRules,
  orderIds: string[],
  opts: CallOptions,
): Promise<ReadBack[]> {
  const read = adapter.readBack?.bind(adapter) ?? adapter.lookup?.bind(adapter);
  if (!read) {
    const note = `${adapter.id} offers no way to read an order back`;
    return orderIds.map((orderId) => ({ orderId, state: 'unknown', note }));
  }
  return mapLimited(orderIds, READ_BACK_CONCURRENCY, (orderId) => readOne(read, rules, orderId, opts));
}

async function readOne(
  read: NonNullable<ProviderAdapter['readBack']>,
  rules: EligibilityRules,
  orderId: string,
  opts: CallOptions,
): Promise<ReadBack> {
  try {
    const seen = await read(orderId, opts);
    const verdict = judgeStatus(rules, seen.status);
    const state = verdict === 'ALREADY_CANCELLED' ? 'cancelled' : 'not_cancelled';
    const cancellable = verdict === 'ELIGIBLE';
    return { orderId, state, status: seen.status, cancellable, note: `read back: status ${seen.status}` };
  } catch (err) {
    if (!(err instanceof ProviderError) || err instanceof ProviderTransientError) throw err;
    return { orderId, state: 'unknown', note: `read back failed: ${err.message}` };
  }
}
