import { ApplicationFailure, Context } from '@temporalio/activity';
import { ErrorType, HOOK_BATCH_CONCURRENCY, MerchantRefusedError } from '../contract';
import type { EventOutcome, HookCall, HookResult, MerchantBatchHooks, MerchantHooks } from '../merchant/port';
import { mapLimited } from '../providers/limit';
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

/** Per-event delivery of many calls: one POST each, HOOK_BATCH_CONCURRENCY at a time; a 4xx is that call's refusal. */
async function perEvent(hooks: MerchantHooks, calls: HookCall[]): Promise<EventOutcome[]> {
  const out: EventOutcome[] = []; // in the order the answers came
  await mapLimited(calls, HOOK_BATCH_CONCURRENCY, async (call) => {
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
    const send = (cs: HookCall[]) => (batchHooks ? batchHooks(cs) : perEvent(hooks, cs));
    let firstError: string | undefined;
    // Waves: a call waits for the one it comes `after` (an order's steps in order); after a refusal it is not sent.
    let waiting = calls.filter((c) => !settled.has(c.key));
    for (;;) {
      const ready = waiting.filter((c) => !c.after || passed(settled.get(c.after)));
      if (ready.length === 0) break;
      const outcomes = await send(ready);
      for (const o of outcomes) {
        if (o.result === 'retry') firstError ??= o.message;
        else if (o.result === 'refused') {
          settled.set(o.key, {
            key: o.key,
            result: 'refused',
            message: redactCredentials(o.message),
            status: o.status,
          });
        } else settled.set(o.key, { key: o.key, result: o.result });
      }
      const sent = new Set(ready.map((c) => c.key));
      waiting = waiting.filter((c) => !sent.has(c.key));
    }
    // Not taken: answered `retry`, left unanswered by the sender, or waiting behind one of those (not behind a refusal).
    const blocked = blockedForGood(calls, settled);
    const failures = calls.filter((c) => !settled.has(c.key) && !blocked(c)).length;
    if (failures > 0) {
      firstError ??= 'no answer for some events';
      const done = calls.flatMap((c) => settled.get(c.key) ?? []);
      ctx.heartbeat({ done } satisfies HookBatchProgress);
      throw ApplicationFailure.create({
        type: ErrorType.MerchantTransient,
        message: `${failures} of ${calls.length} merchant call(s) failed: ${redactCredentials(firstError ?? '')}`,
        details: [{ attempt, pending: failures, done }],
      });
    }
    // A call after a refused one has no result: the workflow stops that order at the refusal.
    return { attempt, results: calls.flatMap((c) => settled.get(c.key) ?? []) };
  };
}

/** The call before went through (sent or skipped). */
const passed = (r: HookCallResult | undefined): boolean => r !== undefined && r.result !== 'refused';

/** Whether a call is never to be sent: it comes after a refused call (directly or down the chain). */
function blockedForGood(calls: HookCall[], settled: Map<string, HookCallResult>): (call: HookCall) => boolean {
  const byKey = new Map(calls.map((c) => [c.key, c]));
  const blocked = (c: HookCall): boolean => {
    if (!c.after) return false;
    const before = settled.get(c.after);
    if (before) return before.result === 'refused';
    const prev = byKey.get(c.after);
    return prev !== undefined && blocked(prev);
  };
  return blocked;
}
