import type { Dispatcher } from 'undici';
import { cancelOrConfirm } from '../confirm-cancelled';
import { ProviderConfigError } from '../../contract/errors';
import { send } from '../http';
import type { CallOptions, CancelReason, CancelResult, OrderLookup, ProviderAdapter } from '../types';
import { classifyCancel, classifyLookup, type ClassifyContext } from './classify';
import { buildCancelRequest, buildLookupRequest } from './request';

export interface FastpodConfig {
  baseUrl: string;
  token: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

const P = 'fastpod';

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
