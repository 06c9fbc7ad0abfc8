import { setTimeout as sleep } from 'node:timers/promises';
import type { Dispatcher } from 'undici';
import { ProviderConfigError, ProviderRejectedError, ProviderTransientError } from '../../contract/errors';
import { confirmAlreadyCancelled } from '../confirm-cancelled';
import { send } from '../http';
import type { CallOptions, CancelReason, CancelResult, OrderLookup } from '../types';
import { classifyCancel, classifyJob, classifyLookup, type ClassifyContext } from './classify';
import { buildCancelRequest, buildJobRequest, buildLookupRequest, type RefundsBy, type ShopifyTarget } from './request';
import type { CancelPending, ShopifyAdapter } from './types';

export interface ShopifyConfig {
  /** `https://{shop}.myshopify.com`. */
  baseUrl: string;
  /** Default DEFAULT_API_VERSION. */
  apiVersion?: string;
  accessToken: string;
  /** Default `merchant`: the saga's own refund/restock steps do it, Shopify's flags stay false (see README). */
  refundsBy?: RefundsBy;
  /** Default false: the saga's notify step tells the customer; Shopify's email would be a second one. */
  notifyCustomer?: boolean;
  /** How long `cancel` (the synchronous fallback) waits for the job before a transient failure (ms, default 5000). */
  syncWaitMs?: number;
  /** Its pause between two polls (ms, default 250). */
  syncPollMs?: number;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

const P = 'shopify';
/** The newest stable version when this adapter was written; each stable version is supported for 12 months. */
export const DEFAULT_API_VERSION = '2026-10';
const API_VERSION = /^(\d{4}-(01|04|07|10)|unstable)$/;

/** Refuse a config that could only fail later in a confusing way; never echo the token. */
function target(cfg: ShopifyConfig): ShopifyTarget {
  const apiVersion = cfg.apiVersion ?? DEFAULT_API_VERSION;
  const refundsBy = cfg.refundsBy ?? 'merchant';
  const bad = (why: string) => new ProviderConfigError(`${P}: ${why}`, { provider: P });
  if (!/^https?:\/\/[^\s/?#]+\/?$/i.test(cfg.baseUrl)) {
    throw bad('baseUrl must be an http(s) origin, e.g. https://shop.myshopify.com');
  }
  if (!API_VERSION.test(apiVersion)) throw bad('apiVersion must be a dated version like 2026-10, or unstable');
  if (!cfg.accessToken || /[\p{Cc}\s]/u.test(cfg.accessToken)) {
    throw bad('accessToken must be non-empty, without spaces or control characters');
  }
  if (refundsBy !== 'merchant' && refundsBy !== 'shopify') throw bad('refundsBy must be merchant or shopify');
  const notifyCustomer = cfg.notifyCustomer ?? false;
  return { baseUrl: cfg.baseUrl, apiVersion, accessToken: cfg.accessToken, refundsBy, notifyCustomer };
}

/**
 * Shopify Admin GraphQL adapter: lookup by `order(id:)`, `startCancel` by `orderCancel` (answers a job: PENDING),
 * `pollCancel` by `job(id:)`. A user error is checked against the order itself, so a repeat is ALREADY_CANCELLED.
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
  function confirm(orderId: string, refusal: ProviderRejectedError, opts: CallOptions): Promise<CancelResult> {
    return confirmAlreadyCancelled(P, lookup, orderId, refusal, opts);
  }

  async function startCancel(
    orderId: string,
    reason: CancelReason,
    opts: CallOptions = {},
  ): Promise<CancelResult | CancelPending> {
    const res = await send(P, buildCancelRequest(t, orderId, reason), { ...http, signal: opts.signal });
    const answer = classifyCancel(res, ctx(orderId));
    return 'refusal' in answer ? confirm(orderId, answer.refusal, opts) : answer;
  }

  async function pollCancel(job: CancelPending, opts: CallOptions = {}): Promise<CancelResult | CancelPending> {
    const { orderId, jobId } = job;
    const res = await send(P, buildJobRequest(t, orderId, jobId), { ...http, signal: opts.signal });
    const answer = classifyJob(res, ctx(orderId), job);
    if (answer !== 'unknown') return answer;
    // Shopify no longer knows the job (or did not read the order): the order's own state is the outcome.
    const seen = await lookup(orderId, opts);
    if (seen.status === 'CANCELLED') return { orderId, status: 'CANCELLED' };
    const message = `${P}: cancel order ${orderId}: job ${jobId} is unknown to Shopify and the order is ${seen.status}`;
    throw new ProviderRejectedError(message, { provider: P, status: res.status });
  }

  /** Start, then poll for a few seconds at most: a worker slot is never held for the job's whole life. */
  async function cancel(orderId: string, reason: CancelReason, opts: CallOptions = {}): Promise<CancelResult> {
    const waitMs = cfg.syncWaitMs ?? 5000;
    const deadline = Date.now() + waitMs;
    let r = await startCancel(orderId, reason, opts);
    while (r.status === 'PENDING') {
      if (Date.now() >= deadline) {
        throw new ProviderTransientError(
          `${P}: cancel order ${orderId}: job ${r.jobId} still running after ${waitMs} ms`,
          {
            provider: P,
          },
        );
      }
      await sleep(cfg.syncPollMs ?? 250, undefined, { signal: opts.signal });
      r = await pollCancel(r, opts);
    }
    return r;
  }

  // With SHOPIFY_REFUNDS_BY=shopify the mutation refunds and restocks: a done cancel says so, and the saga skips both.
  const byShopify = t.refundsBy === 'shopify';
  const said = <R extends CancelResult | CancelPending>(r: R): R =>
    byShopify && r.status === 'CANCELLED' ? { ...r, doneByProvider: ['refund', 'restock'] } : r;
  return {
    id: P,
    lookup,
    cancel: async (...a) => said(await cancel(...a)),
    startCancel: async (...a) => said(await startCancel(...a)),
    pollCancel: async (...a) => said(await pollCancel(...a)),
  };
}
