import { proxyActivities, type ActivityOptions, type RetryPolicy } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { RetrySpec } from './policies';

/** Activity proxies; every call passes its own options (summary, retry budget) through executeWithOptions. */
export const acts = proxyActivities<Activities>({ startToCloseTimeout: '30s' });

/** Budget of the eligibility lookup, before the worker's policies are known. */
export const ELIGIBILITY_RETRY: RetrySpec = {
  maximumAttempts: 5,
  initialIntervalMs: 500,
  maximumIntervalMs: 10_000,
  backoffCoefficient: 2,
};

export function retryPolicy(spec: RetrySpec): RetryPolicy {
  return {
    maximumAttempts: spec.maximumAttempts,
    initialInterval: spec.initialIntervalMs,
    maximumInterval: spec.maximumIntervalMs,
    backoffCoefficient: spec.backoffCoefficient,
  };
}

/** Options of one activity call: a summary for the UI, a retry budget, a per-attempt timeout. */
export function callOptions(summary: string, spec: RetrySpec, startToCloseMs = 30_000): ActivityOptions {
  return { summary, retry: retryPolicy(spec), startToCloseTimeout: startToCloseMs };
}
