import type { ProviderId } from '../providers/types';

/** A retry budget, in plain numbers so it can travel through history. */
export interface RetrySpec {
  maximumAttempts: number;
  initialIntervalMs: number;
  maximumIntervalMs: number;
  backoffCoefficient: number;
}

export interface Policies {
  provider: Record<ProviderId, RetrySpec>;
  merchant: RetrySpec;
  /** Per-attempt timeout of a provider call (ms). */
  providerCallTimeoutMs: number;
}

const base: RetrySpec = {
  maximumAttempts: 5,
  initialIntervalMs: 1000,
  maximumIntervalMs: 30_000,
  backoffCoefficient: 2,
};

/** Defaults: Fungies documents 429 rate limiting, so it gets a longer budget. */
export const DEFAULT_POLICIES: Policies = {
  provider: {
    evitalrx: base,
    fincart: base,
    fastpod: base,
    fungies: { ...base, maximumAttempts: 8 },
    ecom: { ...base, maximumAttempts: 4 },
  },
  merchant: { ...base, maximumAttempts: 6 },
  providerCallTimeoutMs: 30_000,
};
