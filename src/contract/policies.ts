import { MANIFESTS } from '../providers/registry';
import type { ProviderId } from './providers';

/** A retry budget, in plain numbers so it can travel through history. */
export interface RetrySpec {
  maximumAttempts: number;
  initialIntervalMs: number;
  maximumIntervalMs: number;
  backoffCoefficient: number;
}

/** The worker's budgets, handed to each workflow by its first activity so replays see the same. */
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

/** Defaults: each provider's budget is its manifest's. */
export const DEFAULT_POLICIES: Policies = {
  provider: Object.fromEntries(MANIFESTS.map((m) => [m.id, m.retry])) as Record<ProviderId, RetrySpec>,
  merchant: { ...base, maximumAttempts: 6 },
  providerCallTimeoutMs: 30_000,
};

/** Merchant budget of a batch whose eligibility answers all failed (so the worker's is unknown). */
export const MERCHANT_FALLBACK_RETRY: RetrySpec = DEFAULT_POLICIES.merchant;

/** Eligibility of a single cancel (a provider lookup over HTTP), before the worker's policies are known. */
export const ELIGIBILITY_RETRY: RetrySpec = {
  maximumAttempts: 5,
  initialIntervalMs: 500,
  maximumIntervalMs: 10_000,
  backoffCoefficient: 2,
};
/** Per-attempt timeout of the single cancel's eligibility lookup (ms). */
export const ELIGIBILITY_TIMEOUT_MS = 30_000;

/**
 * Eligibility of a batch: no lookup (batch providers have none so far), only the snapshot judged in the worker, so a
 * shorter budget than ELIGIBILITY_RETRY: 3 attempts of at most 10 s, the SDK's default backoff.
 */
export const BATCH_ELIGIBILITY = { maximumAttempts: 3, timeoutMs: 10_000 } as const;

/** How long a step waits for an operator before it aborts (options.operatorTimeout overrides). */
export const DEFAULT_OPERATOR_TIMEOUT = '72h';

/** Calls one `merchantHookBatch` sends at once. */
export const HOOK_BATCH_CONCURRENCY = 16;
/** Webhook timeout of one merchant call, as the batch's per-attempt timeout counts it (ms). */
export const HOOK_CALL_TIMEOUT_MS = 10_000;
