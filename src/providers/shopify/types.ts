import type { CallOptions, CancelReason, CancelResult, OrderLookup } from '../types';

/**
 * An asynchronous cancel the provider accepted and runs in a job (plain data: it travels through history). The same
 * shape as `CancelPending` in the layout branch's src/providers/types.ts; kept here until that lands.
 */
export interface CancelPending {
  orderId: string;
  status: 'PENDING';
  /** The provider's job id (`gid://shopify/Job/<uuid>`): shown in the status and the UI; it carries no credential. */
  jobId: string;
  providerMessage?: string;
}

/** The Shopify adapter: the methods of ProviderAdapter plus the asynchronous pair (capabilities.asyncCancel). */
export interface ShopifyAdapter {
  readonly id: 'shopify';
  lookup(orderId: string, opts?: CallOptions): Promise<OrderLookup>;
  /** Start the cancel and wait for its job, but only briefly: for a core that does not poll (see README). */
  cancel(orderId: string, reason: CancelReason, opts?: CallOptions): Promise<CancelResult>;
  /** Run `orderCancel`: PENDING with the job; ALREADY_CANCELLED; a refusal throws. */
  startCancel(orderId: string, reason: CancelReason, opts?: CallOptions): Promise<CancelResult | CancelPending>;
  /** One poll of the job: PENDING until done; done → CANCELLED; done without the order cancelled throws Rejected. */
  pollCancel(job: CancelPending, opts?: CallOptions): Promise<CancelResult | CancelPending>;
}
