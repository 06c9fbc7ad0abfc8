import { Context } from '@temporalio/activity';
import { InvalidRequestError } from '../providers/errors';
import { DEFAULT_ELIGIBILITY, type EligibilityRules } from '../providers/eligibility';
import type { CancelReason, CancelResult, ProviderAdapter, ProviderId } from '../providers/types';
import type { HookCall, HookResult, MerchantHooks } from '../merchant/port';
import { checkEligibility, type PrepareInput, type PrepareResult } from './eligibility';
import { toFailure } from './failure';
import { DEFAULT_POLICIES, type Policies } from './policies';

export interface ActivityDeps {
  /** Adapters of the enabled providers only. */
  providers: Partial<Record<ProviderId, ProviderAdapter>>;
  hooks: MerchantHooks;
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

/** Activities get their dependencies; nothing here reads configuration. */
export function createActivities(deps: ActivityDeps) {
  const policies = deps.policies ?? DEFAULT_POLICIES;
  const adapterFor = (provider: ProviderId): ProviderAdapter => {
    const adapter = deps.providers[provider];
    if (!adapter) {
      throw new InvalidRequestError(
        `provider ${provider} is not enabled on this worker (its credentials are not set)`,
        {
          provider,
        },
      );
    }
    return adapter;
  };
  const attempt = () => Context.current().info.attempt;
  const guarded = async <T>(fn: () => Promise<T>): Promise<Attempted<T>> => {
    try {
      return { ...(await fn()), attempt: attempt() };
    } catch (err) {
      throw toFailure(err, attempt());
    }
  };

  return {
    /** Eligibility of one order, plus the worker's retry budgets. */
    async prepareCancellation(input: PrepareInput): Promise<Attempted<PrepareResult>> {
      return guarded(() => {
        const rules = deps.eligibility?.[input.provider] ?? DEFAULT_ELIGIBILITY[input.provider];
        return checkEligibility(adapterFor(input.provider), rules, policies, input);
      });
    },

    /** The pivot: cancel one order at its provider. Already cancelled is success. */
    async cancelAtProvider(input: CancelAtProviderInput): Promise<Attempted<CancelResult>> {
      return guarded(() =>
        adapterFor(input.provider).cancel(input.orderId, input.reason, {
          signal: Context.current().cancellationSignal,
          idempotencyKey: input.idempotencyKey,
        }),
      );
    },

    /** Cancel a batch in one call (providers with a bulk endpoint). */
    async cancelBatchAtProvider(input: Omit<CancelAtProviderInput, 'orderId'> & { orderIds: string[] }) {
      return guarded(async () => {
        const adapter = adapterFor(input.provider);
        if (!adapter.cancelMany) {
          throw new InvalidRequestError(`provider ${input.provider} has no bulk cancel`, { provider: input.provider });
        }
        const results = await adapter.cancelMany(input.orderIds, input.reason, {
          signal: Context.current().cancellationSignal,
          idempotencyKey: input.idempotencyKey,
        });
        return { results };
      });
    },

    /** One merchant step (hold, release, refund, restock, mark cancelled, notify). */
    async merchantHook(call: HookCall): Promise<Attempted<{ result: HookResult }>> {
      return guarded(async () => ({ result: await deps.hooks(call) }));
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
