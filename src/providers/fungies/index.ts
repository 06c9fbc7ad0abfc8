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
import { FungiesSim } from './simulator';

export interface FungiesConfig {
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

const P = manifest.id;

/** Refuse a config that could only fail later in a confusing way; never echo the values. */
function checkConfig(cfg: FungiesConfig): void {
  if (!/^https?:\/\/[^\s]+$/i.test(cfg.baseUrl)) {
    throw new ProviderConfigError(`${P}: baseUrl must be an http(s) URL`, { provider: P });
  }
  for (const [name, value] of [
    ['publicKey', cfg.publicKey],
    ['secretKey', cfg.secretKey],
  ] as const) {
    if (!value || /\p{Cc}/u.test(value)) {
      throw new ProviderConfigError(`${P}: ${name} must be non-empty, without control characters`, { provider: P });
    }
  }
}

/** Fungies adapter: cancel by PATCH (both keys), lookup by GET (public key only); a refusal is re-checked by lookup. */
export function createFungiesAdapter(cfg: FungiesConfig): ProviderAdapter {
  checkConfig(cfg);
  const http = { timeoutMs: cfg.timeoutMs, dispatcher: cfg.dispatcher };
  const ctx = (orderId: string): ClassifyContext => ({ orderId, secrets: [cfg.secretKey, cfg.publicKey] });

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
const SANDBOX_KEYS = { publicKey: 'pub_sandbox_5b1e', secretKey: 'sec_sandbox_c0ffee' };

/** Fungies as a plug-in: manifest, adapter from its settings, simulator, demo orders, conformance fixture. */
export const plugin: ProviderPlugin = {
  manifest,
  createAdapter: (s, common) =>
    createFungiesAdapter({
      baseUrl: setting(s, 'baseUrl', P),
      publicKey: setting(s, 'publicKey', P),
      secretKey: setting(s, 'secretKey', P),
      ...common,
    }),
  simulator: {
    create: () => new FungiesSim(SANDBOX_KEYS),
    credentials: { FUNGIES_PUBLIC_KEY: SANDBOX_KEYS.publicKey, FUNGIES_SECRET_KEY: SANDBOX_KEYS.secretKey },
    env: (url) => ({ FUNGIES_BASE_URL: url }),
  },
  demo,
  conformance: {
    orders: {
      eligible: { id: 'conf-fungies-eligible', status: 'PAID', paid: true },
      alreadyCancelled: { id: 'conf-fungies-cancelled', status: 'CANCELLED' },
      notEligible: { id: 'conf-fungies-refunded', status: 'REFUNDED' },
      // The lookup says cancellable; the cancel is refused (and the re-check finds it still PENDING).
      refused: {
        id: 'conf-fungies-refused',
        status: 'PENDING',
        fault: {
          orderId: 'conf-fungies-refused',
          route: 'cancel',
          status: 400,
          body: '{"status":"error","error":{"message":"cannot be cancelled"}}',
        },
      },
    },
    cancelRequest: (orderId) => ({
      method: 'PATCH',
      path: `/v0/orders/${encodeURIComponent(orderId)}/cancel`,
      headers: {
        'x-fngs-public-key': SANDBOX_KEYS.publicKey,
        'x-fngs-secret-key': SANDBOX_KEYS.secretKey,
        'content-type': 'application/json',
      },
      body: {},
    }),
  },
};
