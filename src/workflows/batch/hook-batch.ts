import { ActivityFailure, ApplicationFailure, type CancellationScope } from '@temporalio/workflow';
import type { HookCallResult } from '../../activities';
import type { HookCall } from '../../merchant/port';
import { acts, callOptions } from '../shared/activity-options';
import {
  ErrorType,
  idempotencyKey,
  HOOK_BATCH_CONCURRENCY,
  HOOK_CALL_TIMEOUT_MS,
  type BatchOrderResult,
  type BulkOrder,
  type FinalStep,
  type HookStep,
  type MerchantEventType,
  type ProviderId,
  type RetrySpec,
  type StepError,
} from '../../contract/lean';
import { runStep, type FailureKind } from '../shared/run-step';

export interface Entry {
  order: BulkOrder;
  /** The hold's undo is owed (registered before the hold runs). */
  holdOwed: boolean;
  held: boolean;
  paid?: boolean;
  pending: FinalStep[];
  result?: BatchOrderResult;
}

/** One order's merchant call inside a batch; `key` (default: the step) ends its idempotency key. */
export interface HookJob {
  e: Entry;
  step: HookStep;
  type: MerchantEventType;
  data: Record<string, unknown>;
  key?: string;
  /** Index (in the same jobs) of the call that must go through first: this one is sent only after it. */
  after?: number;
}

/** How one `merchantHookBatch` ended. `results[i]` belongs to `jobs[i]`; undefined: that call did not go through. */
export interface HookBatchRun {
  ok: boolean;
  kind?: FailureKind;
  /** Set when the activity itself failed (budget exhausted, timeout, cancelled). */
  error?: StepError;
  attempts: number;
  results: (HookCallResult | undefined)[];
}

export interface HookBatchContext {
  wfId: string;
  firstRunId: string;
  provider: ProviderId;
  bulkId: string;
  batchNo: number;
  merchant: RetrySpec;
}

/** The error a refused call stands for (what a refused single `merchantHook` would have failed with). */
export function refusal(r: HookCallResult): StepError {
  return { type: ErrorType.MerchantRefused, message: r.message ?? 'merchant refused' };
}

/** Why call `i` of a batch run did not go through (refused, or the activity gave up); undefined when it did. */
export function callError(r: HookBatchRun, i: number): StepError | undefined {
  const res = r.results[i];
  if (res && res.result !== 'refused') return undefined;
  return res ? refusal(res) : (r.error as StepError);
}

/**
 * ONE `merchantHookBatch` activity for the merchant calls of many orders (idempotency key
 * `<batchWorkflowId>/<firstRunId>/<orderId>/<key>`). The activity retries what failed within the merchant budget; when it gives
 * up, its failure details say which calls had settled, so only the others count as failed.
 */
export async function runHookBatch(
  ctx: HookBatchContext,
  jobs: HookJob[],
  onScope: (scope: CancellationScope | undefined) => void = () => undefined,
): Promise<HookBatchRun> {
  const occurredAt = new Date().toISOString();
  const keys = jobs.map((j) => idempotencyKey(ctx.wfId, ctx.firstRunId, `${j.e.order.orderId}/${j.key ?? j.step}`));
  const calls: HookCall[] = jobs.map((j, i) => ({
    step: j.step,
    type: j.type,
    key: keys[i],
    workflowId: ctx.wfId,
    provider: ctx.provider,
    orderId: j.e.order.orderId,
    occurredAt,
    data: { ...j.data, bulkId: ctx.bulkId, batch: ctx.batchNo },
    ...(j.after === undefined ? {} : { after: keys[j.after] }),
  }));
  const types = [...new Set(jobs.map((j) => j.type))].join(', ');
  const timeoutMs = Math.max(30_000, Math.ceil(calls.length / HOOK_BATCH_CONCURRENCY) * HOOK_CALL_TIMEOUT_MS + 10_000);
  let settled: HookCallResult[] = [];
  const r = await runStep(
    async () => {
      try {
        return await acts.merchantHookBatch.executeWithOptions(
          callOptions(`Merchant: ${types} (${calls.length} order(s))`, ctx.merchant, timeoutMs),
          [calls],
        );
      } catch (err) {
        settled = settledBefore(err);
        throw err;
      }
    },
    ctx.merchant.maximumAttempts,
    onScope,
  );
  const byKey = new Map((r.ok ? r.value.results : settled).map((x) => [x.key, x]));
  const results = calls.map((c) => byKey.get(c.key));
  return r.ok
    ? { ok: true, attempts: r.attempts, results }
    : { ok: false, kind: r.kind, error: r.error, attempts: r.attempts, results };
}

/** The calls a failed `merchantHookBatch` had settled (its failure details), none when it did not say. */
function settledBefore(err: unknown): HookCallResult[] {
  const cause = err instanceof ActivityFailure ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return [];
  const details = cause.details?.[0] as { done?: HookCallResult[] } | undefined;
  return Array.isArray(details?.done) ? details.done : [];
}
