import type { Dispatcher } from 'undici';
import { DEFAULT_ELIGIBILITY, judgeStatus } from '../eligibility';
import {
  InvalidRequestError,
  ProviderRejectedError,
  ProviderResponseError,
  ProviderTransientError,
} from '../../contract/errors';
import { clip, send } from '../http';
import type { CallOptions, CancelReason, CancelResult, OrderLookup, ProviderAdapter, ReasonCode } from '../types';
import { classifyEnvelope, mapReasonIds, rejectReasons, viewStatus } from './classify';
import { buildRequest, cancelFields, reasonsFields, viewFields, type EvitalrxEndpoint, type Fields } from './request';

/** Worker-side configuration of the eVitalRx adapter (the api key never leaves the worker). */
export interface EvitalrxConfig {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
  bodyEncoding?: 'json' | 'form';
  reasonSource?: 'pickup' | 'delivery';
  reasonIds?: Partial<Record<ReasonCode, number>>;
  reasonCacheTtlMs?: number;
  dispatcher?: Dispatcher;
}

const P = 'evitalrx';
const HOUR_MS = 3_600_000;
type ReasonTable = Partial<Record<ReasonCode, number>>;

/** A value loaded at most once per TTL; concurrent callers share one in-flight load; failures are not cached. */
function ttlCache<T>(load: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let held: { at: number; value: T } | undefined;
  let inflight: Promise<T> | undefined;
  return () => {
    if (held && Date.now() - held.at < ttlMs) return Promise.resolve(held.value);
    inflight ??= load()
      .then((value) => {
        held = { at: Date.now(), value };
        return value;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
}

function requireOrderId(orderId: string): void {
  if (typeof orderId !== 'string' || orderId.trim() === '') {
    throw new InvalidRequestError(`${P}: order id must be a non-empty string`, { provider: P });
  }
}

/** eVitalRx fulfillment adapter: cancel_order_v2, view_v2 lookup, reject reasons mapped and cached. */
export function createEvitalrxAdapter(cfg: EvitalrxConfig): ProviderAdapter {
  const encoding = cfg.bodyEncoding ?? 'json';
  const source = cfg.reasonSource ?? 'pickup';

  async function call(endpoint: EvitalrxEndpoint, fields: Fields, what: string, signal?: AbortSignal) {
    const req = buildRequest(cfg.baseUrl, endpoint, fields, encoding);
    const res = await send(P, req, { timeoutMs: cfg.timeoutMs, dispatcher: cfg.dispatcher, signal });
    return classifyEnvelope(res, what, cfg.apiKey);
  }

  // Not tied to one caller's signal: the load is shared, so one caller's cancellation must not fail the others.
  const reasonTable = ttlCache<ReasonTable>(async () => {
    const env = await call('reject_reasons', reasonsFields(cfg.apiKey, source), 'reject_reasons');
    return mapReasonIds(rejectReasons(env, 'reject_reasons'));
  }, cfg.reasonCacheTtlMs ?? HOUR_MS);

  async function reasonIdFor(code: ReasonCode): Promise<number> {
    const fixed = cfg.reasonIds?.[code];
    if (fixed !== undefined) return fixed;
    const id = (await reasonTable())[code];
    if (id === undefined) {
      throw new ProviderResponseError(`${P}: no reject reason fits '${code}' and the list has no 'Other'`, {
        provider: P,
      });
    }
    return id;
  }

  async function lookup(orderId: string, opts?: CallOptions): Promise<OrderLookup> {
    requireOrderId(orderId);
    const what = `lookup of order ${clip(orderId, 80)}`;
    const env = await call('view_v2', viewFields(cfg.apiKey, orderId), what, opts?.signal);
    return { orderId, status: viewStatus(env, what) };
  }

  /** A refused cancel is success only if a lookup shows the order cancelled (decided by status, not by text). */
  async function explainRefusal(orderId: string, refusal: ProviderRejectedError, opts?: CallOptions) {
    let current: OrderLookup;
    try {
      current = await lookup(orderId, opts);
    } catch (err) {
      // A transient lookup failure is retried (repeating the refused cancel is harmless); otherwise the refusal stands.
      if (err instanceof ProviderTransientError) throw err;
      throw refusal;
    }
    if (judgeStatus(DEFAULT_ELIGIBILITY.evitalrx, current.status) === 'ALREADY_CANCELLED') {
      return { orderId, status: 'ALREADY_CANCELLED', providerMessage: refusal.providerMessage } satisfies CancelResult;
    }
    throw new ProviderRejectedError(`${refusal.message} (order status: ${clip(current.status, 40)})`, {
      provider: P,
      status: refusal.status,
      providerMessage: refusal.providerMessage,
    });
  }

  async function cancel(orderId: string, reason: CancelReason, opts?: CallOptions): Promise<CancelResult> {
    requireOrderId(orderId);
    const reasonId = await reasonIdFor(reason.code);
    const fields = cancelFields(cfg.apiKey, orderId, reasonId, reason.note);
    try {
      const env = await call('cancel_order_v2', fields, `cancel of order ${clip(orderId, 80)}`, opts?.signal);
      return { orderId, status: 'CANCELLED', providerMessage: clip(env.status_message ?? undefined) };
    } catch (err) {
      if (err instanceof ProviderRejectedError) return explainRefusal(orderId, err, opts);
      throw err;
    }
  }

  return { id: P, lookup, cancel };
}
