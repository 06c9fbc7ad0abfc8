import type { CancelReason, ProviderId } from '../contract/providers';

export { PROVIDER_IDS, REASON_CODES, type CancelReason, type ProviderId, type ReasonCode } from '../contract/providers';

/** Normalized answer of a successful cancel: done now, or it already was. */
export interface CancelResult {
  orderId: string;
  status: 'CANCELLED' | 'ALREADY_CANCELLED';
  /** The provider's own words, shortened (for the timeline). */
  providerMessage?: string;
  /**
   * Merchant steps the provider did itself with the cancel (a provider that refunds and restocks when configured to):
   * the saga skips them, so nothing is refunded or restocked twice.
   */
  doneByProvider?: ('refund' | 'restock')[];
}

/** Normalized order as seen by a lookup. */
export interface OrderLookup {
  orderId: string;
  /** The provider's status string, as the provider spells it. */
  status: string;
  /** Whether the provider says the order was paid (drives the refund step); undefined when unknown. */
  paid?: boolean;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Idempotency key derived from workflow id and step; sent where the provider accepts one. */
  idempotencyKey?: string;
}

/** One adapter per provider. Every method throws a ProviderError subclass on failure. */
export interface ProviderAdapter {
  readonly id: ProviderId;
  /** Present only where the provider documents an order lookup. */
  lookup?(orderId: string, opts?: CallOptions): Promise<OrderLookup>;
  /**
   * Read an order's state back after the fact: the evidence that settles a cancel whose answer was lost. Only where
   * the provider documents a way that is not a lookup for eligibility (e.g. an order-logs endpoint); else `lookup` serves.
   */
  readBack?(orderId: string, opts?: CallOptions): Promise<OrderLookup>;
  /** Cancel one order. Already cancelled is success (`ALREADY_CANCELLED`). */
  cancel(orderId: string, reason: CancelReason, opts?: CallOptions): Promise<CancelResult>;
  /** Cancel many orders in one call (capabilities.batchCancel). Resolves when the whole batch was accepted. */
  cancelMany?(orderIds: string[], reason: CancelReason, opts?: CallOptions): Promise<CancelResult[]>;
  /**
   * Start an asynchronous cancel (capabilities.asyncCancel): accepted → PENDING with the provider's job; a refusal
   * throws as `cancel` does; already cancelled is ALREADY_CANCELLED.
   */
  startCancel?(orderId: string, reason: CancelReason, opts?: CallOptions): Promise<CancelResult | CancelPending>;
  /** Where a started cancel's job is: PENDING until done; done → CANCELLED; a failed job throws a ProviderError. */
  pollCancel?(job: CancelPending, opts?: CallOptions): Promise<CancelResult | CancelPending>;
}

/** An asynchronous cancel the provider accepted and runs in a job (plain data: it travels through history). */
export interface CancelPending {
  orderId: string;
  status: 'PENDING';
  /** The provider's job id (shown in the status and the UI). */
  jobId: string;
  providerMessage?: string;
}
