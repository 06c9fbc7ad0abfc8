import type { Cost } from './schema';

/** The shortest wait we ask for after THROTTLED: the bucket refills continuously, but not instantly. */
export const MIN_THROTTLE_WAIT_MS = 500;
/** The longest: a wait past a minute means a bucket we misread, and the retry policy should decide again. */
export const MAX_THROTTLE_WAIT_MS = 60_000;

/**
 * How long until the bucket holds the cost this query asked for: (requestedQueryCost - currentlyAvailable) /
 * restoreRate seconds, bounded to [MIN, MAX]; undefined when the answer lacks the numbers.
 */
export function throttleDelayMs(cost: Cost | undefined): number | undefined {
  const requested = cost?.requestedQueryCost;
  const available = cost?.throttleStatus?.currentlyAvailable;
  const rate = cost?.throttleStatus?.restoreRate;
  if (typeof requested !== 'number' || typeof available !== 'number' || typeof rate !== 'number' || rate <= 0) {
    return undefined;
  }
  const ms = Math.ceil(((requested - available) / rate) * 1000);
  return Math.min(MAX_THROTTLE_WAIT_MS, Math.max(MIN_THROTTLE_WAIT_MS, ms));
}
