import type { Dispatcher } from 'undici';
import { cancelOrConfirm } from '../confirm-cancelled';
import { ProviderConfigError } from '../../contract/errors';
import { send } from '../http';
import { setting, type ProviderPlugin } from '../plugin';
import type { CallOptions, CancelReason, CancelResult, OrderLookup, ProviderAdapter } from '../types';
import { classifyCancel, classifyLookup, type ClassifyContext } from './classify';
import { buildCancelRequest, buildLookupRequest } from './request';
import { demo } from './demo';
import { manifest } from './manifest';
import { FastpodSim } from './simulator';

export interface FastpodConfig {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

const P = manifest.id;

/** Refuse a config that could only fail later in a confusing way; never echo the values. */
function checkConfig(cfg: FastpodConfig): void {
  if (!/^https?:\/\/[^\s]+$/i.test(cfg.baseUrl)) {
    throw new ProviderConfigError(`${P}: baseUrl must be an http(s) URL`, { provider: P });
  }
  if (!cfg.token || /\p{Cc}/u.test(cfg.token)) {
    throw new ProviderConfigError(`${P}: token must be non-empty, without control characters`, { provider: P });
  }
}

/** FastPOD adapter: cancel by POST, lookup by GET; a refused cancel is re-checked by lookup (already cancelled?). */
export function createFastpodAdapter(cfg: FastpodConfig): ProviderAdapter {
  checkConfig(cfg);
  const http = { timeoutMs: cfg.timeoutMs, dispatcher: cfg.dispatcher };
  const ctx = (orderId: string): ClassifyContext => ({ orderId, secrets: [cfg.token] });

  async function lookup(orderId: string, opts: CallOptions = {}): Promise<OrderLookup> {
    const res = await send(P, buildLookupRequest(cfg, orderId), { ...http, signal: opts.signal });
    return classifyLookup(res, ctx(orderId));
  }

  async function cancel(orderId: string, _reason: CancelReason, opts: CallOptions = {}): Promise<CancelResult> {
    return cancelOrConfirm(P, lookup, orderId, opts, async () => {
      const res = await send(P, buildCancelRequest(cfg, orderId), { ...http, signal: opts.signal });
      return classifyCancel(res, ctx(orderId));
    });
  }

  return { id: P, lookup, cancel };
}

/** Sandbox credentials (not secrets: they open only the local simulator). */
const SANDBOX_TOKEN = 'sandbox-fastpod-token-77e2';

/** FastPOD as a plug-in: manifest, adapter from its settings, simulator, demo orders, conformance fixture. */
export const plugin: ProviderPlugin = {
  manifest,
  createAdapter: (s, common) =>
    createFastpodAdapter({ baseUrl: setting(s, 'baseUrl', P), token: setting(s, 'token', P), ...common }),
  simulator: {
    create: () => new FastpodSim({ token: SANDBOX_TOKEN }),
    credentials: { FASTPOD_TOKEN: SANDBOX_TOKEN },
    env: (url) => ({ FASTPOD_BASE_URL: url }),
  },
  demo,
  conformance: {
    orders: {
      eligible: { id: 'conf-fastpod-eligible', status: 'new_order' },
      alreadyCancelled: { id: 'conf-fastpod-cancelled', status: 'cancelled' },
      notEligible: { id: 'conf-fastpod-shipped', status: 'shipped' },
      // The lookup says cancellable; the cancel is refused as the docs' 422 says.
      refused: {
        id: 'conf-fastpod-refused',
        status: 'on_hold',
        fault: {
          orderId: 'conf-fastpod-refused',
          route: 'cancel',
          status: 422,
          body: '{"status":false,"message":"The given data was invalid.","errors":{"order_status":["locked"]}}',
        },
      },
    },
    cancelRequest: (orderId) => ({
      method: 'POST',
      path: `/v1/orders/${encodeURIComponent(orderId)}/cancel`,
      headers: { authorization: `Bearer ${SANDBOX_TOKEN}`, accept: 'application/json' },
    }),
  },
};
