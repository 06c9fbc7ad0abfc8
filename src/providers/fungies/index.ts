import type { Dispatcher } from 'undici';
import { cancelOrConfirm } from '../confirm-cancelled';
import { ProviderConfigError } from '../../contract/errors';
import { send } from '../http';
import type { CallOptions, CancelReason, CancelResult, OrderLookup, ProviderAdapter } from '../types';
import { classifyCancel, classifyLookup, type ClassifyContext } from './classify';
import { buildCancelRequest, buildLookupRequest } from './request';

export interface FungiesConfig {
  baseUrl: string;
  publicKey: string;
  secretKey: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

const P = 'fungies';

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
