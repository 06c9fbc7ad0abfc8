import type { ReasonCode } from '../../contract/providers';

/**
 * The project's reason codes onto Shopify's `OrderCancelReason` (total: a new code without a mapping does not
 * compile). Pure data: the manifest imports it, and the workflow bundle imports the manifest.
 */
export const SHOPIFY_REASONS: Readonly<Record<ReasonCode, string>> = {
  customer_request: 'CUSTOMER',
  fraud: 'FRAUD',
  inventory: 'INVENTORY',
  payment_declined: 'DECLINED',
  staff: 'STAFF',
  duplicate: 'OTHER',
  other: 'OTHER',
};
