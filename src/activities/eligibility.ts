import { judgeStatus, type Eligibility, type EligibilityRules } from '../providers/eligibility';
import type { ProviderAdapter, ProviderId } from '../providers/types';
import type { Policies } from '../contract';

export interface PrepareInput {
  provider: ProviderId;
  orderId: string;
  snapshot?: { status: string; paid?: boolean };
}

export interface PrepareResult {
  verdict: Eligibility;
  /** Where the status came from: the provider's lookup, the caller's snapshot, or nowhere (left to the cancel). */
  source: 'provider' | 'snapshot' | 'none';
  status?: string;
  paid?: boolean;
  /** The worker's retry budgets, recorded in history so replays see the same. */
  policies: Policies;
}

/** Look the order up (provider lookup first, else the snapshot) and apply the provider's rules. */
export async function checkEligibility(
  adapter: ProviderAdapter,
  rules: EligibilityRules,
  policies: Policies,
  input: PrepareInput,
): Promise<PrepareResult> {
  if (adapter.lookup) {
    const order = await adapter.lookup(input.orderId);
    // The caller (the merchant) knows best whether its customer paid; the provider's flag is the fallback.
    const paid = input.snapshot?.paid ?? order.paid;
    return { verdict: judgeStatus(rules, order.status), source: 'provider', status: order.status, paid, policies };
  }
  if (input.snapshot) {
    const { status, paid } = input.snapshot;
    return { verdict: judgeStatus(rules, status), source: 'snapshot', status, paid, policies };
  }
  return { verdict: 'ELIGIBLE', source: 'none', policies };
}
