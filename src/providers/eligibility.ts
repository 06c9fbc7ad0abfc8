import type { ProviderId } from './types';

/** Which provider statuses still allow a cancel, and which mean "already cancelled". Overridable per provider. */
export interface EligibilityRules {
  cancellable: string[];
  cancelled: string[];
}

/** Defaults from ../shared/providers (FastPOD's and Fungies' are documented assumptions; see README). */
export const DEFAULT_ELIGIBILITY: Record<ProviderId, EligibilityRules> = {
  evitalrx: { cancellable: ['assigned', 'accepted'], cancelled: ['cancelled'] },
  fincart: { cancellable: ['pending'], cancelled: ['cancelled'] },
  fastpod: { cancellable: ['draft', 'new_order', 'on_hold'], cancelled: ['cancelled'] },
  fungies: { cancellable: ['PENDING', 'UNPAID', 'PAID'], cancelled: ['CANCELLED'] },
  ecom: { cancellable: ['pending', 'confirmed', 'processing'], cancelled: ['cancelled'] },
};

export type Eligibility = 'ELIGIBLE' | 'ALREADY_CANCELLED' | 'NOT_ELIGIBLE';

/** Decide from a status string (compared case-insensitively). */
export function judgeStatus(rules: EligibilityRules, status: string): Eligibility {
  const s = status.toLowerCase();
  if (rules.cancelled.some((c) => c.toLowerCase() === s)) return 'ALREADY_CANCELLED';
  if (rules.cancellable.some((c) => c.toLowerCase() === s)) return 'ELIGIBLE';
  return 'NOT_ELIGIBLE';
}
