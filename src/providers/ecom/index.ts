import type { Dispatcher } from 'undici';
import { ProviderConfigError } from '../../contract/errors';
import { send } from '../http';
import { setting, type ProviderPlugin } from '../plugin';
import type { CallOptions, CancelReason, CancelResult, ProviderAdapter } from '../types';
import { classifyCancel } from './classify';
import { buildCancelRequest, parseAuthHeader, type EcomTarget } from './request';
import { demo } from './demo';
import { manifest } from './manifest';
import { EcomSim } from './simulator';

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

const P = manifest.id;

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

/** Sandbox credentials (not secrets: they open only the local simulator). */
const SANDBOX_AUTH_HEADER = 'Authorization: Bearer sandbox-ecom-token-4d2a';

/** Ecom as a plug-in: manifest, adapter from its settings, simulator, demo orders, conformance fixture. */
export const plugin: ProviderPlugin = {
  manifest,
  createAdapter: (s, common) =>
    createEcomAdapter({
      baseUrl: setting(s, 'baseUrl', P),
      authHeader: setting(s, 'authHeader', P),
      channel: s.channel,
      ...common,
    }),
  simulator: {
    create: () => new EcomSim({ authHeader: SANDBOX_AUTH_HEADER }),
    credentials: { ECOM_AUTH_HEADER: SANDBOX_AUTH_HEADER },
    env: (url) => ({ ECOM_BASE_URL: url }),
  },
  demo,
  conformance: {
    orders: {
      eligible: { id: 'conf-ecom-eligible', status: 'pending', snapshot: { status: 'pending' } },
      alreadyCancelled: { id: 'conf-ecom-cancelled', status: 'cancelled', snapshot: { status: 'cancelled' } },
      notEligible: { id: 'conf-ecom-delivered', status: 'delivered', snapshot: { status: 'delivered' } },
      // The caller's snapshot says pending; the provider knows it shipped and answers 409.
      refused: { id: 'conf-ecom-refused', status: 'shipped', snapshot: { status: 'pending' } },
    },
    cancelRequest: (orderId) => ({
      method: 'POST',
      path: '/api/rest/v1/ecom/integrations/cancelOrder',
      headers: { authorization: 'Bearer sandbox-ecom-token-4d2a', 'content-type': 'application/json' },
      body: {
        conversationRequest: { channel: 'api', userInfo: { uid: 'order-cancellation-orchestrator' } },
        queryInfo: { interestType: 'cancel-order', parameters: { params: { entityInfo: { orderId } } } },
        languageCode: 'en-US',
      },
    }),
  },
};
