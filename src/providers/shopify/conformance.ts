import type { ShopifySimOrder } from './simulator';
import type { Fault } from '../../sandbox/sim-server';
import type { ConformanceFixture } from '../plugin';

/** The token the sandbox simulator accepts (not a secret: it opens only the local simulator). */
export const SANDBOX_TOKEN = 'shpat_sandbox_5h0p1f7';

/** The mutation exactly as the adapter must send it for the default version (written out: it is the documented text). */
const DOCUMENTED_MUTATION =
  'mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!, $refundMethod: OrderCancelRefundMethodInput, ' +
  '$restock: Boolean!, $notifyCustomer: Boolean, $staffNote: String) { orderCancel(orderId: $orderId, reason: $reason, ' +
  'refundMethod: $refundMethod, restock: $restock, notifyCustomer: $notifyCustomer, staffNote: $staffNote) { ' +
  'job { id done } orderCancelUserErrors { code field message } } }';

/** A user error Shopify answers for an order its criteria forbid to cancel, with HTTP 200 and no job. */
const refusal: Fault = {
  route: 'cancel',
  status: 200,
  body: JSON.stringify({
    data: {
      orderCancel: {
        job: null,
        orderCancelUserErrors: [
          { code: 'INVALID', field: ['orderId'], message: 'Order has pending payment authorizations' },
        ],
      },
    },
  }),
};

/** Every answer lost: the job, which nobody polls, finishes on its own (as Shopify's background job does). */
const LOST_ANSWER_ORDER: ShopifySimOrder = { id: '9100005', status: 'UNFULFILLED', paid: true, jobPolls: 0 };

/** Input of the conformance kit (test/conformance/kit.ts; docs/providers.md, "Run the conformance kit"). */
export const conformance = {
  orders: {
    // A global id in the workflow id, the history and the UI, as merchants will send them.
    eligible: { id: 'gid://shopify/Order/9100001', status: 'UNFULFILLED', paid: true } satisfies ShopifySimOrder,
    alreadyCancelled: { id: '9100002', status: 'CANCELLED' } satisfies ShopifySimOrder,
    notEligible: { id: '9100003', status: 'FULFILLED', paid: true } satisfies ShopifySimOrder,
    // The lookup says cancellable; Shopify refuses (the re-check finds it still not cancelled).
    refused: { id: '9100004', status: 'UNFULFILLED', fault: refusal },
    lostAnswer: LOST_ANSWER_ORDER,
  },
  /** The request a cancel of `orderId` (reason customer_request, no note) sends, with the default settings. */
  cancelRequest: (orderId: string) => ({
    method: 'POST',
    path: '/admin/api/2026-10/graphql.json',
    headers: { 'x-shopify-access-token': SANDBOX_TOKEN, 'content-type': 'application/json' },
    body: {
      query: DOCUMENTED_MUTATION,
      variables: {
        orderId: orderId.startsWith('gid://') ? orderId : `gid://shopify/Order/${orderId}`,
        reason: 'CUSTOMER',
        refundMethod: { originalPaymentMethodsRefund: false },
        restock: false,
        notifyCustomer: false,
      },
    },
  }),
} satisfies ConformanceFixture;
