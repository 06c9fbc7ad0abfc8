import type { EligibilityRules } from './manifest';
import { MANIFESTS, type ProviderId } from './registry';

export type { EligibilityRules };

/** Each provider's rules, from its manifest (some are documented assumptions; see docs/providers/). */
export const DEFAULT_ELIGIBILITY: Record<ProviderId, EligibilityRules> = Object.fromEntries(
  MANIFESTS.map((m) => [m.id, m.eligibility]),
) as Record<ProviderId, EligibilityRules>;

export type Eligibility = 'ELIGIBLE' | 'ALREADY_CANCELLED' | 'NOT_ELIGIBLE';

/** Decide from a status string (compared case-insensitively). */
export function judgeStatus(rules: EligibilityRules, status: string): Eligibility {
  const s = status.toLowerCase();
  if (rules.cancelled.some((c) => c.toLowerCase() === s)) return 'ALREADY_CANCELLED';
  if (rules.cancellable.some((c) => c.toLowerCase() === s)) return 'ELIGIBLE';
  return 'NOT_ELIGIBLE';
}
