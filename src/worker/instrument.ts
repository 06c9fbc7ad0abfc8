import type { MetricMeter } from '@temporalio/common';
import {
  MerchantRefusedError,
  ProviderAuthError,
  ProviderRejectedError,
  ProviderResponseError,
  ProviderTransientError,
} from '../contract';
import { METRICS, type ProviderCallResult } from '../contract/metrics';
import type { ActivityDeps } from '../activities';
import type { MerchantBatchHooks, MerchantHooks } from '../merchant/port';
import type { ProviderAdapter, ProviderId } from '../providers/types';

/** The error taxonomy's kind of a provider call's failure, as the latency histogram's `result` label. */
export function callResult(err: unknown): ProviderCallResult {
  if (err instanceof ProviderRejectedError) return 'rejected';
  if (err instanceof ProviderTransientError) return 'transient';
  if (err instanceof ProviderAuthError) return 'auth';
  if (err instanceof ProviderResponseError) return 'response';
  if (err instanceof Error && err.name === 'AbortError') return 'cancelled';
  return 'error';
}

type AdapterMethod = Exclude<keyof ProviderAdapter, 'id'>;
/**
 * The `operation` label of each adapter method (total: a new method without a label does not compile, so no method is
 * lost by the instrumentation). A batch call is a cancel too (one request, many ids); reading an order is a lookup.
 */
const OPERATION: Record<AdapterMethod, 'lookup' | 'cancel'> = {
  lookup: 'lookup',
  readBack: 'lookup',
  pollCancel: 'lookup',
  cancel: 'cancel',
  cancelMany: 'cancel',
  startCancel: 'cancel',
};

/** Time every adapter call into the provider latency histogram (ms) by provider, operation and result. */
export function instrumentAdapter(adapter: ProviderAdapter, meter: MetricMeter): ProviderAdapter {
  const latency = meter.createHistogram(METRICS.providerCallLatency, 'int', 'ms', 'provider API call latency');
  const timed =
    <A extends unknown[], R>(operation: 'lookup' | 'cancel', fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const started = performance.now();
      let result: ProviderCallResult = 'ok';
      try {
        return await fn(...args);
      } catch (err) {
        result = callResult(err);
        throw err;
      } finally {
        latency.record(Math.round(performance.now() - started), { provider: adapter.id, operation, result });
      }
    };
  const out: Record<string, unknown> = { id: adapter.id };
  for (const [method, operation] of Object.entries(OPERATION) as [AdapterMethod, 'lookup' | 'cancel'][]) {
    const fn = adapter[method] as ((...args: unknown[]) => Promise<unknown>) | undefined;
    if (fn) out[method] = timed(operation, fn.bind(adapter));
  }
  return out as unknown as ProviderAdapter;
}

/** Count merchant webhook deliveries by event type and result (delivered, refused, failed); skipped steps are not. */
export function instrumentHooks(hooks: MerchantHooks, meter: MetricMeter): MerchantHooks {
  const deliveries = meter.createCounter(METRICS.webhookDeliveries, '1', 'merchant webhook deliveries');
  return async (call) => {
    try {
      const r = await hooks(call);
      if (r === 'done') deliveries.add(1, { type: call.type, result: 'delivered' });
      return r;
    } catch (err) {
      deliveries.add(1, { type: call.type, result: err instanceof MerchantRefusedError ? 'refused' : 'failed' });
      throw err;
    }
  };
}

/** Count a batched delivery's events by type and result, as instrumentHooks counts single ones. */
export function instrumentBatchHooks(hooks: MerchantBatchHooks, meter: MetricMeter): MerchantBatchHooks {
  const deliveries = meter.createCounter(METRICS.webhookDeliveries, '1', 'merchant webhook deliveries');
  const as = { done: 'delivered', refused: 'refused', retry: 'failed' } as const;
  return async (calls) => {
    const out = await hooks(calls);
    const type = new Map(calls.map((c) => [c.key, c.type]));
    for (const o of out)
      if (o.result !== 'skipped') deliveries.add(1, { type: type.get(o.key) ?? '', result: as[o.result] });
    return out;
  };
}

/** The activities' dependencies with metrics around every provider call and merchant hook. */
export function instrumentDeps(deps: ActivityDeps, meter: MetricMeter): ActivityDeps {
  const providers: Partial<Record<ProviderId, ProviderAdapter>> = {};
  for (const [id, adapter] of Object.entries(deps.providers) as [ProviderId, ProviderAdapter | undefined][]) {
    if (adapter) providers[id] = instrumentAdapter(adapter, meter);
  }
  const batchHooks = deps.batchHooks && instrumentBatchHooks(deps.batchHooks, meter);
  return { ...deps, providers, hooks: instrumentHooks(deps.hooks, meter), batchHooks };
}
