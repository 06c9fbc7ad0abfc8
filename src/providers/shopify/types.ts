import type { ProviderError } from '../../contract/errors';
import type { CallOptions, CancelReason, CancelResult, OrderLookup } from '../types';

/**
 * An accepted cancel that finishes in the background: the order is cancelled only when the job is done.
 * Local until src/providers/types.ts widens CancelResult (see README "Core changes this provider needs").
 */
export interface PendingCancel {
  orderId: string;
  status: 'PENDING';
  /** The provider's job id (`gid://shopify/Job/<uuid>`): safe to show, it carries no credential. */
  jobId: string;
  providerMessage?: string;
}

/** What a cancel answers for a provider whose cancel may be asynchronous. */
export type AsyncCancelResult = CancelResult | PendingCancel;

/** One poll of a cancel job: still running, done and the order cancelled, or done and the cancel failed. */
export type JobCheck =
  | { done: false; jobId: string }
  | { done: true; ok: true; result: CancelResult }
  | { done: true; ok: false; error: ProviderError };

/** The Shopify adapter: lookup, an asynchronous cancel, and the poll of its job. */
export interface ShopifyAdapter {
  readonly id: 'shopify';
  lookup(orderId: string, opts?: CallOptions): Promise<OrderLookup>;
  cancel(orderId: string, reason: CancelReason, opts?: CallOptions): Promise<AsyncCancelResult>;
  /** Poll the job a PENDING cancel returned; `orderId` is the order it cancels (checked once the job is done). */
  checkJob(orderId: string, jobId: string, opts?: CallOptions): Promise<JobCheck>;
}
