import { ApplicationFailure, Context } from '@temporalio/activity';
import { ErrorType, HOOK_BATCH_CONCURRENCY, MerchantRefusedError } from '../contract';
import type { EventOutcome, HookCall, HookResult, MerchantBatchHooks, MerchantHooks } from '../merchant/port';
import { redactCredentials } from '../providers/redact';

/** How one call of a `merchantHookBatch` ended: sent (or skipped), or refused by the merchant (4xx, final). */
export interface HookCallResult {
  key: string;
  result: HookResult | 'refused';
  message?: string;
  status?: number;
}

/**
 * Heartbeat details of `merchantHookBatch`, and the details of its retryable failure: the calls settled so far
 * (a retry skips them; the workflow learns from the last failure which calls never went through).
 */
export interface HookBatchProgress {
  done: HookCallResult[];
}

/** Run `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

/** Per-event delivery of many calls: one POST each, HOOK_BATCH_CONCURRENCY at a time; a 4xx is that call's refusal. */
async function perEvent(hooks: MerchantHooks, calls: HookCall[]): Promise<EventOutcome[]> {
  const out: EventOutcome[] = [];
  await eachLimited(calls, HOOK_BATCH_CONCURRENCY, async (call) => {
    try {
      out.push({ key: call.key, result: await hooks(call) });
    } catch (err) {
      if (err instanceof MerchantRefusedError) {
        out.push({ key: call.key, result: 'refused', message: err.message, status: err.status });
      } else {
        out.push({ key: call.key, result: 'retry', message: err instanceof Error ? err.message : String(err) });
      }
    }
  });
  return out;
}

/**
 * Many merchant steps in one activity (a batch): per event (one POST each) or, with `batchHooks` (MERCHANT_DELIVERY=
 * batched), in few signed POSTs. A refusal is that call's final result. If any call was not taken, the settled ones
 * go to the heartbeat and the attempt fails retryably (`MerchantTransientError`, details `[{ attempt, pending, done
 * }]`); the next attempt re-sends only the rest (same event id and Idempotency-Key either way).
 */
export function createMerchantBatchActivity(hooks: MerchantHooks, batchHooks?: MerchantBatchHooks) {
  return async function merchantHookBatch(calls: HookCall[]): Promise<{ results: HookCallResult[]; attempt: number }> {
    const ctx = Context.current();
    const attempt = ctx.info.attempt;
    const earlier = (ctx.info.heartbeatDetails as HookBatchProgress | undefined)?.done ?? [];
    const settled = new Map(earlier.map((r) => [r.key, r]));
    const todo = calls.filter((c) => !settled.has(c.key));
    const outcomes = todo.length === 0 ? [] : batchHooks ? await batchHooks(todo) : await perEvent(hooks, todo);
    let failures = 0;
    let firstError: string | undefined;
    for (const o of outcomes) {
      if (o.result === 'retry') {
        failures += 1;
        firstError ??= o.message;
      } else if (o.result === 'refused') {
        settled.set(o.key, { key: o.key, result: 'refused', message: redactCredentials(o.message), status: o.status });
      } else settled.set(o.key, { key: o.key, result: o.result });
    }
    // A sender that answered for fewer calls than it got: the rest was not taken.
    const missing = todo.filter((c) => !settled.has(c.key)).length - failures;
    if (missing > 0) {
      failures += missing;
      firstError ??= 'no answer for some events';
    }
    if (failures > 0) {
      const done = calls.flatMap((c) => settled.get(c.key) ?? []);
      ctx.heartbeat({ done } satisfies HookBatchProgress);
      throw ApplicationFailure.create({
        type: ErrorType.MerchantTransient,
        message: `${failures} of ${calls.length} merchant call(s) failed: ${redactCredentials(firstError ?? '')}`,
        details: [{ attempt, pending: failures, done }],
      });
    }
    return { attempt, results: calls.map((c) => settled.get(c.key) as HookCallResult) };
  };
}
