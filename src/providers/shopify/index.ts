import type { Dispatcher } from 'undici';
import {
  ProviderConfigError,
  ProviderError,
  ProviderRejectedError,
  ProviderTransientError,
} from '../../contract/errors';
import { send } from '../http';
import type { CallOptions, CancelReason, OrderLookup } from '../types';
import { classifyCancel, classifyJob, classifyLookup, type ClassifyContext } from './classify';
import { buildCancelRequest, buildJobRequest, buildLookupRequest, type RefundsBy, type ShopifyTarget } from './request';
import type { AsyncCancelResult, JobCheck, ShopifyAdapter } from './types';

export type { AsyncCancelResult, JobCheck, PendingCancel, ShopifyAdapter } from './types';

export interface ShopifyConfig {
  /** `https://{shop}.myshopify.com`. */
  baseUrl: string;
  /** Default `2026-10` (the newest stable version as of this adapter). */
  apiVersion?: string;
  accessToken: string;
  /** Default `merchant`: the saga's own refund/restock steps do it, Shopify's flags stay false. */
  refundsBy?: RefundsBy;
  /** Default false: the saga's notify step tells the customer; Shopify's email would be a second one. */
  notifyCustomer?: boolean;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

const P = 'shopify';
export const DEFAULT_API_VERSION = '2026-10';
const API_VERSION = /^(\d{4}-(01|04|07|10)|unstable)$/;

/** Refuse a config that could only fail later in a confusing way; never echo the token. */
function target(cfg: ShopifyConfig): ShopifyTarget {
  const apiVersion = cfg.apiVersion ?? DEFAULT_API_VERSION;
  const refundsBy = cfg.refundsBy ?? 'merchant';
  const bad = (why: string) => new ProviderConfigError(`${P}: ${why}`, { provider: P });
  if (!/^https?:\/\/[^\s/?#]+\/?$/i.test(cfg.baseUrl))
    throw bad('baseUrl must be an http(s) origin, e.g. https://shop.myshopify.com');
  if (!API_VERSION.test(apiVersion)) throw bad('apiVersion must be a dated version like 2026-10, or unstable');
  if (!cfg.accessToken || /[\p{Cc}\s]/u.test(cfg.accessToken)) {
    throw bad('accessToken must be non-empty, without spaces or control characters');
  }
  if (refundsBy !== 'merchant' && refundsBy !== 'shopify') throw bad('refundsBy must be merchant or shopify');
  return {
    baseUrl: cfg.baseUrl,
    apiVersion,
    accessToken: cfg.accessToken,
    refundsBy,
    notifyCustomer: cfg.notifyCustomer ?? false,
  };
}

/**
 * Shopify Admin GraphQL adapter: lookup by `order(id:)`, cancel by `orderCancel` (answers a job: PENDING), and
 * `checkJob` to poll that job. A user error is checked against the order itself, so a repeat is ALREADY_CANCELLED.
 */
export function createShopifyAdapter(cfg: ShopifyConfig): ShopifyAdapter {
  const t = target(cfg);
  const http = { timeoutMs: cfg.timeoutMs, dispatcher: cfg.dispatcher };
  const ctx = (orderId: string): ClassifyContext => ({ orderId, secrets: [t.accessToken] });

  async function lookup(orderId: string, opts: CallOptions = {}): Promise<OrderLookup> {
    const res = await send(P, buildLookupRequest(t, orderId), { ...http, signal: opts.signal });
    return classifyLookup(res, ctx(orderId));
  }

  /** After a refusal: success only if the order really is cancelled; a failed lookup leaves the refusal standing. */
  async function confirm(
    orderId: string,
    refusal: ProviderRejectedError,
    opts: CallOptions,
  ): Promise<AsyncCancelResult> {
    let seen: OrderLookup;
    try {
      seen = await lookup(orderId, opts);
    } catch (err) {
      // A transient failure (or the caller's abort) must not turn an already-cancelled order into a rejection.
      if (!(err instanceof ProviderError) || err instanceof ProviderTransientError) throw err;
      throw refusal;
    }
    if (seen.status !== 'CANCELLED') throw refusal;
    return { orderId, status: 'ALREADY_CANCELLED', providerMessage: refusal.providerMessage };
  }

  async function cancel(orderId: string, reason: CancelReason, opts: CallOptions = {}): Promise<AsyncCancelResult> {
    const res = await send(P, buildCancelRequest(t, orderId, reason), { ...http, signal: opts.signal });
    const answer = classifyCancel(res, ctx(orderId));
    return 'refusal' in answer ? confirm(orderId, answer.refusal, opts) : answer;
  }

  async function checkJob(orderId: string, jobId: string, opts: CallOptions = {}): Promise<JobCheck> {
    const res = await send(P, buildJobRequest(t, orderId, jobId), { ...http, signal: opts.signal });
    const check = classifyJob(res, ctx(orderId), jobId);
    if (check !== 'unknown') return check;
    // Shopify no longer knows the job (or did not read the order): the order's own state is the outcome.
    const seen = await lookup(orderId, opts);
    if (seen.status === 'CANCELLED') return { done: true, ok: true, result: { orderId, status: 'CANCELLED' } };
    const message = `${P}: cancel order ${orderId}: job ${jobId} is unknown to Shopify and the order is ${seen.status}`;
    return { done: true, ok: false, error: new ProviderRejectedError(message, { provider: P, status: res.status }) };
  }

  return { id: P, lookup, cancel, checkJob };
}
