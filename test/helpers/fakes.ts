import { ProviderRejectedError, ProviderTransientError } from '../../src/contract';
import type { HookCall, HookResult, MerchantHooks } from '../../src/merchant/port';
import type { CancelResult, OrderLookup, ProviderAdapter, ProviderId } from '../../src/providers/types';

/** What a fake adapter saw: one entry per call, as the adapter received it. */
export interface FakeProviderCall {
  method: 'lookup' | 'cancel' | 'cancelMany' | 'readBack';
  orderIds: string[];
  idempotencyKey?: string;
}

/** Scripted answers; each gets the order id(s) and how many calls of that method came before. Throw to fail. */
export interface FakeProviderScript {
  lookup?: (orderId: string, n: number) => OrderLookup;
  cancel?: (orderId: string, n: number) => CancelResult;
  cancelMany?: (orderIds: string[], n: number) => CancelResult[];
  readBack?: (orderId: string, n: number) => OrderLookup;
}

/** A provider adapter answering from `script` (default: every cancel succeeds) and recording its calls. */
export function fakeProvider(id: ProviderId, script: FakeProviderScript = {}) {
  const calls: FakeProviderCall[] = [];
  const count = (m: FakeProviderCall['method']) => calls.filter((c) => c.method === m).length - 1;
  const adapter: ProviderAdapter = {
    id,
    async cancel(orderId, _reason, opts) {
      calls.push({ method: 'cancel', orderIds: [orderId], idempotencyKey: opts?.idempotencyKey });
      return script.cancel ? script.cancel(orderId, count('cancel')) : { orderId, status: 'CANCELLED' };
    },
  };
  if (script.lookup) {
    const lookup = script.lookup;
    adapter.lookup = async (orderId) => {
      calls.push({ method: 'lookup', orderIds: [orderId] });
      return lookup(orderId, count('lookup'));
    };
  }
  if (script.readBack) {
    const readBack = script.readBack;
    adapter.readBack = async (orderId) => {
      calls.push({ method: 'readBack', orderIds: [orderId] });
      return readBack(orderId, count('readBack'));
    };
  }
  if (script.cancelMany) {
    const cancelMany = script.cancelMany;
    adapter.cancelMany = async (orderIds, _reason, opts) => {
      calls.push({ method: 'cancelMany', orderIds, idempotencyKey: opts?.idempotencyKey });
      return cancelMany(orderIds, count('cancelMany'));
    };
  }
  return { adapter, calls };
}

/** A call whose answer never came (the provider may have acted): what a timeout or a dropped connection raises. */
export const answerLost = (provider: ProviderId) =>
  new ProviderTransientError(`${provider}: no answer within 5000 ms`, { provider });

/** A provider-side failure the adapters raise: 503 (retried) or a business refusal (final). */
export const providerDown = (provider: ProviderId) => new ProviderTransientError('HTTP 503', { provider, status: 503 });
export const providerRefuses = (provider: ProviderId, why = 'order cannot be cancelled') =>
  new ProviderRejectedError(`refused: ${why}`, { provider, status: 422, providerMessage: why });

/** Merchant hooks recording every call; `fail` may throw for a call (MerchantRefusedError / MerchantTransientError). */
export function fakeMerchant(fail: (call: HookCall) => void = () => undefined) {
  const calls: HookCall[] = [];
  const hooks: MerchantHooks = async (call): Promise<HookResult> => {
    calls.push(call);
    fail(call);
    return 'done';
  };
  /** Event types the merchant received, in order, for one order (or all). */
  const events = (orderId?: string) => calls.filter((c) => !orderId || c.orderId === orderId).map((c) => c.type);
  return { hooks, calls, events };
}
