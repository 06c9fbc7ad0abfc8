/** Ids of the providers this orchestrator knows. */
export const PROVIDER_IDS = ['evitalrx', 'fincart', 'fastpod', 'fungies', 'ecom'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** Reason codes accepted by the orchestrator (mapped per provider where the provider wants its own). */
export const REASON_CODES = [
  'customer_request',
  'fraud',
  'inventory',
  'payment_declined',
  'duplicate',
  'staff',
  'other',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface CancelReason {
  code: ReasonCode;
  note?: string;
}
