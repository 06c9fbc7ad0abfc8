import {
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
  type RetryPolicy,
} from '@temporalio/workflow';
import type { Activities } from '../../activities';
import type { RetrySpec } from '../../contract/lean';

/** Activity proxies; every call passes its own options (summary, retry budget) through executeWithOptions. */
export const acts = proxyActivities<Activities>({ startToCloseTimeout: '30s' });

/**
 * Local activities for the short steps around the pivot (judging a snapshot, merchant hooks): they run inside the
 * workflow task, which on a dev server cuts a cancellation from 7 workflow tasks to 3 (see BENCHMARKS.md). Provider
 * calls (lookup, pivot) are regular activities on the provider's own task queue, where its rate cap and pause apply.
 */
export const localActs = proxyLocalActivities<Activities>({ startToCloseTimeout: '30s' });

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

/** Heartbeat timeout of the pivot: a worker that dies mid-call is noticed this fast, not after the call timeout. */
export const PIVOT_HEARTBEAT_TIMEOUT_MS = 10_000;

/** Options of a pivot call: as callOptions, plus the heartbeat timeout its activity heartbeats within. */
export function pivotOptions(summary: string, spec: RetrySpec, startToCloseMs?: number): ActivityOptions {
  return { ...callOptions(summary, spec, startToCloseMs), heartbeatTimeout: PIVOT_HEARTBEAT_TIMEOUT_MS };
}

/** Options of one local activity call; retries past `localRetryThreshold` are backed off with durable timers. */
export function localCallOptions(summary: string, spec: RetrySpec, startToCloseMs = 30_000): LocalActivityOptions {
  return { summary, retry: retryPolicy(spec), startToCloseTimeout: startToCloseMs, localRetryThreshold: '10s' };
}
