import type { CancelReason } from '../types';
import { joinUrl, type HttpRequest } from '../http';
import { checkJobGid, orderGid } from './ids';
import { SHOPIFY_REASONS } from './reasons';

export { SHOPIFY_REASONS };

/** Who refunds and restocks: the merchant's own saga steps, or Shopify during the cancel. */
export type RefundsBy = 'merchant' | 'shopify';

/** What building a Shopify request needs from the config. */
export interface ShopifyTarget {
  /** `https://{shop}.myshopify.com` (or a simulator's URL). */
  baseUrl: string;
  /** Dated API version, e.g. `2026-10`, or `unstable`. */
  apiVersion: string;
  accessToken: string;
  refundsBy: RefundsBy;
  notifyCustomer: boolean;
}

/** First version where `refundMethod` replaces the deprecated `refund: Boolean!` (changelog, 2025-07). */
export const REFUND_METHOD_SINCE = '2025-07';

/** Whether `version` takes `refundMethod` (dated versions compare as text; `unstable` sorts after them). */
export function usesRefundMethod(version: string): boolean {
  return version >= REFUND_METHOD_SINCE;
}

export const LOOKUP_QUERY =
  'query OrderStatus($id: ID!) { order(id: $id) { id cancelledAt displayFinancialStatus displayFulfillmentStatus closed } }';

/** `orderCancel` as the targeted version spells its refund argument. */
export function cancelMutation(version: string): string {
  const [refundVar, refundArg] = usesRefundMethod(version)
    ? ['$refundMethod: OrderCancelRefundMethodInput', 'refundMethod: $refundMethod']
    : ['$refund: Boolean!', 'refund: $refund'];
  return (
    `mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, ${refundVar}, $restock: Boolean!, ` +
    '$notifyCustomer: Boolean, $staffNote: String) { ' +
    `orderCancel(orderId: $orderId, reason: $reason, ${refundArg}, restock: $restock, ` +
    'notifyCustomer: $notifyCustomer, staffNote: $staffNote) { ' +
    'job { id done } orderCancelUserErrors { code field message } } }'
  );
}

/** `Job.query` resolves only once the job is done: the order read through it is the job's outcome, not a race. */
export const JOB_QUERY =
  'query OrderCancelJob($id: ID!, $orderId: ID!) { job(id: $id) { id done query { order(id: $orderId) { id cancelledAt } } } }';

/** `POST {base}/admin/api/{version}/graphql.json` with the token header; ids travel only in `variables`. */
function graphql(t: ShopifyTarget, query: string, variables: Record<string, unknown>): HttpRequest {
  return {
    method: 'POST',
    url: joinUrl(t.baseUrl, `/admin/api/${t.apiVersion}/graphql.json`),
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-shopify-access-token': t.accessToken,
    },
    body: JSON.stringify({ query, variables }),
  };
}

/** The order lookup: `order(id:)` with the fields that say cancelled, fulfilled and paid. */
export function buildLookupRequest(t: ShopifyTarget, orderId: string): HttpRequest {
  return graphql(t, LOOKUP_QUERY, { id: orderGid(orderId) });
}

/** The variables of `orderCancel`: the reason mapped, Shopify's refund/restock flags from `refundsBy`. */
export function cancelVariables(t: ShopifyTarget, orderId: string, reason: CancelReason): Record<string, unknown> {
  const byShopify = t.refundsBy === 'shopify';
  const refund = usesRefundMethod(t.apiVersion)
    ? { refundMethod: { originalPaymentMethodsRefund: byShopify } }
    : { refund: byShopify };
  // `duplicate` has no OrderCancelReason of its own (it becomes OTHER): the staff note keeps the project's word.
  const note = reason.code === 'duplicate' ? ['Duplicate order', reason.note].filter(Boolean).join(': ') : reason.note;
  return {
    orderId: orderGid(orderId),
    reason: SHOPIFY_REASONS[reason.code],
    ...refund,
    restock: byShopify,
    notifyCustomer: t.notifyCustomer,
    ...(note ? { staffNote: note } : {}),
  };
}

/** The `orderCancel` mutation for one order. */
export function buildCancelRequest(t: ShopifyTarget, orderId: string, reason: CancelReason): HttpRequest {
  return graphql(t, cancelMutation(t.apiVersion), cancelVariables(t, orderId, reason));
}

/** The poll of a cancel job, reading the order through `Job.query` once it is done. */
export function buildJobRequest(t: ShopifyTarget, orderId: string, jobId: string): HttpRequest {
  return graphql(t, JOB_QUERY, { id: checkJobGid(jobId), orderId: orderGid(orderId) });
}
