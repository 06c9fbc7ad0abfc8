import { ApplicationFailure, Context } from '@temporalio/activity';
import { ApplicationFailureCategory } from '@temporalio/common';
import {
  ErrorType,
  ProviderConfigError,
  DEFAULT_POLICIES,
  HOOK_BATCH_CONCURRENCY,
  type Policies,
  type StepName,
} from '../contract';
import { DEFAULT_ELIGIBILITY, type EligibilityRules } from '../providers/eligibility';
import type { CancelPending, CancelReason, CancelResult, ProviderAdapter, ProviderId } from '../providers/types';
import { type HookCall, type HookResult, type MerchantBatchHooks, type MerchantHooks } from '../merchant/port';
import { createMerchantBatchActivity } from './merchant';
import { checkEligibility, type PrepareInput, type PrepareResult } from './eligibility';
import { redactAnswer, toFailure } from './failure';
import { readBackOrders } from './read-back';
import { merchantSteps } from './merchant-steps';
import { redactCredentials } from '../providers/redact';
import { maxRetryDelayMs, reportRetry } from './retry-note';

export interface ActivityDeps {
  /** Adapters of the enabled providers only. */
  providers: Partial<Record<ProviderId, ProviderAdapter>>;
  hooks: MerchantHooks;
  /** Batched delivery of a batch's merchant steps (MERCHANT_DELIVERY=batched); unset: one POST per event. */
  batchHooks?: MerchantBatchHooks;
  eligibility?: Partial<Record<ProviderId, EligibilityRules>>;
  policies?: Policies;
}

export interface CancelAtProviderInput {
  provider: ProviderId;
  orderId: string;
  reason: CancelReason;
  idempotencyKey: string;
}

export type Attempted<T> = T & { attempt: number };

export { HOOK_BATCH_CONCURRENCY };
export type { HookCallResult, HookBatchProgress } from './merchant';

/** How often a pivot heartbeats: well inside the workflows' 10 s heartbeat timeout (the SDK throttles anyway). */
const PIVOT_HEARTBEAT_INTERVAL_MS = 2_000;

/** Activities get their dependencies; nothing here reads configuration. */
export function createActivities(deps: ActivityDeps) {
  const policies = deps.policies ?? DEFAULT_POLICIES;
  const adapterFor = (provider: ProviderId): ProviderAdapter => {
    const adapter = deps.providers[provider];
    if (!adapter) {
      throw new ProviderConfigError(
        `provider ${provider} is not enabled on this worker (its credentials are not set)`,
        {
          provider,
        },
      );
    }
    return adapter;
  };
  /** The worker's status rules of a provider (its configured override, else the manifest's). */
  const rulesFor = (provider: ProviderId): EligibilityRules =>
    deps.eligibility?.[provider] ?? DEFAULT_ELIGIBILITY[provider];
  const attempt = () => Context.current().info.attempt;
  // The pivots heartbeat while the provider answers, so a dead worker's call is retried after the heartbeat timeout.
  const heartbeating = async <T>(fn: () => Promise<T>): Promise<T> => {
    const ctx = Context.current();
    const beat = setInterval(() => ctx.heartbeat(), PIVOT_HEARTBEAT_INTERVAL_MS);
    try {
      return await fn();
    } finally {
      clearInterval(beat);
    }
  };
  const guarded = async <T>(fn: () => Promise<T>, step?: StepName): Promise<Attempted<T>> => {
    try {
      return { ...(await fn()), attempt: attempt() };
    } catch (err) {
      const failure = toFailure(err, attempt(), maxRetryDelayMs());
      if (step) await reportRetry(step, failure);
      throw failure;
    }
  };

  return {
    /** Eligibility of one order, plus the worker's retry budgets. */
    async prepareCancellation(input: PrepareInput): Promise<Attempted<PrepareResult>> {
      return guarded(() => {
        return checkEligibility(adapterFor(input.provider), rulesFor(input.provider), policies, input);
      }, 'eligibility');
    },

    /** The pivot: cancel one order at its provider. Already cancelled is success. */
    async cancelAtProvider(input: CancelAtProviderInput): Promise<Attempted<CancelResult>> {
      return guarded(
        () =>
          heartbeating(() =>
            adapterFor(input.provider).cancel(input.orderId, input.reason, {
              signal: Context.current().cancellationSignal,
              idempotencyKey: input.idempotencyKey,
            }),
          ).then(redactAnswer),
        'cancel',
      );
    },

    /**
     * The pivot of a provider whose cancel is asynchronous (capabilities.asyncCancel): start it; the answer is the
     * outcome, or PENDING with the provider's job (then `awaitCancelJob` follows it).
     */
    async startCancelAtProvider(input: CancelAtProviderInput): Promise<Attempted<CancelResult | CancelPending>> {
      return guarded(() => {
        const adapter = adapterFor(input.provider);
        const opts = { signal: Context.current().cancellationSignal, idempotencyKey: input.idempotencyKey };
        const start = adapter.startCancel?.bind(adapter);
        return heartbeating(() =>
          start ? start(input.orderId, input.reason, opts) : adapter.cancel(input.orderId, input.reason, opts),
        );
      }, 'cancel');
    },

    /**
     * One look at an asynchronous cancel's job. Still running → a retryable `CancelJobPending` failure whose retry
     * comes after the poll interval: the server's retry timer waits between polls, no worker slot is held and no
     * history event is written per poll. Done → the outcome; a failed job throws as a refusal.
     */
    async awaitCancelJob(input: { provider: ProviderId; job: CancelPending; pollIntervalMs: number }) {
      return guarded(async () => {
        const adapter = adapterFor(input.provider);
        if (!adapter.pollCancel) {
          throw new ProviderConfigError(`provider ${input.provider} has no asynchronous cancel`, {
            provider: input.provider,
          });
        }
        const r = await adapter.pollCancel(input.job, { signal: Context.current().cancellationSignal });
        if (r.status === 'PENDING') {
          throw ApplicationFailure.create({
            type: ErrorType.JobPending,
            message: `job ${r.jobId} still running at ${input.provider}`,
            nextRetryDelay: input.pollIntervalMs,
            category: ApplicationFailureCategory.BENIGN,
            details: [{ attempt: Context.current().info.attempt }],
          });
        }
        return r;
      });
    },

    /** Cancel a batch in one call (providers with a bulk endpoint). */
    async cancelBatchAtProvider(input: Omit<CancelAtProviderInput, 'orderId'> & { orderIds: string[] }) {
      return guarded(async () => {
        const adapter = adapterFor(input.provider);
        if (!adapter.cancelMany) {
          throw new ProviderConfigError(`provider ${input.provider} has no bulk cancel`, { provider: input.provider });
        }
        const cancelMany = adapter.cancelMany.bind(adapter);
        const results = await heartbeating(() =>
          cancelMany(input.orderIds, input.reason, {
            signal: Context.current().cancellationSignal,
            idempotencyKey: input.idempotencyKey,
          }),
        );
        return { results: results.map(redactAnswer) };
      });
    },

    /** Evidence for a cancel whose answer may have been lost: each order read back at its provider and judged. */
    async readBackOrders(input: { provider: ProviderId; orderIds: string[] }) {
      return guarded(async () => {
        const signal = Context.current().cancellationSignal;
        const orders = input.orderIds;
        const results = await readBackOrders(adapterFor(input.provider), rulesFor(input.provider), orders, { signal });
        // A note may quote the provider's refusal: redacted like every provider text that reaches the history.
        return { results: results.map((r) => ({ ...r, note: redactCredentials(r.note) })) };
      });
    },

    /** Merchant steps of one order one after the other, in one activity (the steps after the pivot). */
    merchantSteps: (calls: HookCall[]) => merchantSteps(deps.hooks, calls),

    /** One merchant step (hold, release, refund, restock, mark cancelled, notify). */
    async merchantHook(call: HookCall): Promise<Attempted<{ result: HookResult }>> {
      return guarded(async () => ({ result: await deps.hooks(call) }), call.step === 'notify' ? undefined : call.step);
    },

    /** Many merchant steps in one activity (a batch's step): per event or batched (activities/merchant.ts). */
    merchantHookBatch: createMerchantBatchActivity(deps.hooks, deps.batchHooks),
  };
}

export type Activities = ReturnType<typeof createActivities>;
