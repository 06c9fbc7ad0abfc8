import type { RetrySpec } from '../../contract/policies';
import { defineManifest } from '../manifest';
import { SHOPIFY_REASONS } from './reasons';

/** Shopify's retry budget: throttling is routine for a busy shop, so more attempts than the standard 5. */
const RETRY: RetrySpec = {
  maximumAttempts: 8,
  initialIntervalMs: 1000,
  maximumIntervalMs: 30_000,
  backoffCoefficient: 2,
};

/**
 * Shopify as the core sees it. Pure data that imports nothing with I/O: the workflow bundle reads it.
 * Eligibility judges `statusOf(order)`: CANCELLED, else the fulfilment status.
 */
export const manifest = defineManifest({
  id: 'shopify',
  displayName: 'Shopify',
  summary:
    'Admin GraphQL: `orderCancel` answers a job (asynchronous cancel, polled by `job(id:)`), `order(id:)` lookup; ' +
    'errors come inside HTTP 200, throttling is by query cost',
  capabilities: {
    lookup: true,
    // Jobs usually finish in seconds; ten minutes without `done` is a failed cancel, not a slow one.
    asyncCancel: { pollIntervalMs: 2000, maxWaitMs: 10 * 60_000 },
  },
  retry: RETRY,
  // The Standard plan restores 100 cost points a second and orderCancel asks for 10: about 10 calls a second.
  maxCallsPerSecond: 10,
  config: [
    {
      env: 'SHOPIFY_BASE_URL',
      key: 'baseUrl',
      kind: 'url',
      required: true,
      description: 'the shop, `https://{shop}.myshopify.com`',
    },
    {
      env: 'SHOPIFY_API_VERSION',
      key: 'apiVersion',
      kind: 'text',
      default: '2026-10',
      description: 'dated Admin API version (`YYYY-01/04/07/10` or `unstable`); before 2025-07 `refund` is sent',
    },
    {
      env: 'SHOPIFY_ACCESS_TOKEN',
      key: 'accessToken',
      kind: 'text',
      secret: true,
      required: true,
      description: 'Admin API access token (`X-Shopify-Access-Token`; scopes `read_orders`, `write_orders`)',
    },
    {
      env: 'SHOPIFY_REFUNDS_BY',
      key: 'refundsBy',
      kind: 'enum',
      values: ['merchant', 'shopify'],
      default: 'merchant',
      description: "who refunds and restocks: the saga's refund/restock steps, or Shopify's `refundMethod`/`restock`",
    },
    {
      env: 'SHOPIFY_NOTIFY_CUSTOMER',
      key: 'notifyCustomer',
      kind: 'enum',
      values: ['false', 'true'],
      default: 'false',
      description: "Shopify's own cancellation email (`notifyCustomer`), besides the saga's notify step",
    },
  ],
  eligibility: {
    cancellable: ['UNFULFILLED', 'OPEN', 'ON_HOLD', 'SCHEDULED', 'RESTOCKED', 'FULFILLMENT_NOT_REQUIRED'],
    cancelled: ['CANCELLED'],
  },
  reasons: {
    codes: SHOPIFY_REASONS,
    note: 'onto `OrderCancelReason`; `duplicate` becomes OTHER with "Duplicate order" in the staff note',
  },
});
