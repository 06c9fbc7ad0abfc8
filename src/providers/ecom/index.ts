import type { Dispatcher } from 'undici';
import { ProviderConfigError } from '../../contract/errors';
import { send } from '../http';
import type { CallOptions, CancelReason, CancelResult, ProviderAdapter } from '../types';
import { classifyCancel } from './classify';
import { buildCancelRequest, parseAuthHeader, type EcomTarget } from './request';

export interface EcomConfig {
  baseUrl: string;
  /** "Name: value", e.g. "Authorization: Bearer x"; the scheme is not documented, so it is configurable. */
  authHeader: string;
  /** `conversationRequest.channel`; default `api` (assumption: we are not a chat channel). */
  channel?: string;
  /** Default `en-US`, the table's default. */
  languageCode?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

const P = 'ecom';

/**
 * Ecom chat-integration adapter: cancel only. No lookup: getOrderStatus answers free text whose shape is not
 * documented, and reading an order status out of a chat sentence would be guessing.
 */
export function createEcomAdapter(cfg: EcomConfig): ProviderAdapter {
  if (!/^https?:\/\/[^\s]+$/i.test(cfg.baseUrl)) {
    throw new ProviderConfigError(`${P}: baseUrl must be an http(s) URL`, { provider: P });
  }
  const target: EcomTarget = {
    baseUrl: cfg.baseUrl,
    auth: parseAuthHeader(cfg.authHeader),
    channel: cfg.channel ?? 'api',
    languageCode: cfg.languageCode ?? 'en-US',
  };
  const http = { timeoutMs: cfg.timeoutMs, dispatcher: cfg.dispatcher };
  // The whole value and its parts (the token behind "Bearer "), in case the provider echoes either.
  const secrets = [target.auth.value, ...target.auth.value.split(/\s+/).filter((part) => part.length >= 8)];

  // The envelope has no field for a reason, so it is not sent.
  async function cancel(orderId: string, _reason: CancelReason, opts: CallOptions = {}): Promise<CancelResult> {
    const res = await send(P, buildCancelRequest(target, orderId), { ...http, signal: opts.signal });
    return classifyCancel(res, { orderId, secrets });
  }

  return { id: P, cancel };
}
