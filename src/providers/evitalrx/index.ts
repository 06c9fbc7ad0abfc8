import type { Dispatcher } from 'undici';
import { DEFAULT_ELIGIBILITY, judgeStatus } from '../eligibility';
import {
  InvalidRequestError,
  ProviderRejectedError,
  ProviderResponseError,
  ProviderTransientError,
} from '../../contract/errors';
import { clip, send } from '../http';
import { setting, type ProviderPlugin } from '../plugin';
import type { CallOptions, CancelReason, CancelResult, OrderLookup, ProviderAdapter, ReasonCode } from '../types';
import { classifyEnvelope, mapReasonIds, rejectReasons, viewStatus } from './classify';
import { buildRequest, cancelFields, reasonsFields, viewFields, type EvitalrxEndpoint, type Fields } from './request';
import { demo } from './demo';
import { manifest } from './manifest';
import { EvitalrxSim } from './simulator';

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

const P = manifest.id;
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

/** Sandbox credentials (not secrets: they open only the local simulator). */
const SANDBOX_API_KEY = 'sandbox-evitalrx-apikey-3f9c';

/** eVitalRx as a plug-in: manifest, adapter from its settings, simulator, demo orders, conformance fixture. */
export const plugin: ProviderPlugin = {
  manifest,
  createAdapter: (s, common) =>
    createEvitalrxAdapter({
      baseUrl: setting(s, 'baseUrl', P),
      apiKey: setting(s, 'apiKey', P),
      bodyEncoding: s.bodyEncoding as EvitalrxConfig['bodyEncoding'],
      reasonSource: s.reasonSource as EvitalrxConfig['reasonSource'],
      ...common,
    }),
  simulator: {
    create: () => new EvitalrxSim({ apiKey: SANDBOX_API_KEY }),
    credentials: { EVITALRX_API_KEY: SANDBOX_API_KEY },
    env: (url) => ({ EVITALRX_BASE_URL: `${url}/v1/` }),
  },
  demo,
  conformance: {
    orders: {
      eligible: { id: 'conf-evitalrx-eligible', status: 'accepted' },
      alreadyCancelled: { id: 'conf-evitalrx-cancelled', status: 'cancelled' },
      notEligible: { id: 'conf-evitalrx-delivered', status: 'delivered' },
      // The lookup says cancellable; the cancel answers HTTP 200 with status_code "0" (a refusal).
      refused: {
        id: 'conf-evitalrx-refused',
        status: 'assigned',
        fault: {
          orderId: 'conf-evitalrx-refused',
          route: 'cancel',
          status: 200,
          body: '{"status_code":"0","status_message":"The order can not be cancelled now.","data":null}',
        },
      },
    },
    // customer_request maps onto the simulator's 'Customer requested cancellation' (reason id 3).
    cancelRequest: (orderId) => ({
      method: 'POST',
      path: '/v1/fulfillment/orders/cancel_order_v2',
      headers: { 'content-type': 'application/json' },
      body: { apikey: SANDBOX_API_KEY, order_id: orderId, reason_id: 3 },
    }),
  },
};
