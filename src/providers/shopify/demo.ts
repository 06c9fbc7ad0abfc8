import type { ShopifySimOrder } from './simulator';

/** An order of the `npm start` demo (the shape of `DemoOrder` on the layout branch). */
interface ShopifyDemoOrder extends ShopifySimOrder {
  expect?: string;
  reason?: string;
  noWait?: boolean;
}

/** Shopify's part of the `npm start` demo: global and plain ids, a slow job, a failing job, a fulfilled order. */
export const demo = {
  orders: [
    { id: 'gid://shopify/Order/7001', status: 'UNFULFILLED', paid: true, expect: 'CANCELLED (after the job is done)' },
    { id: '7002', status: 'UNFULFILLED', jobPolls: 5, expect: 'CANCELLED (the job takes five polls)' },
    { id: '7003', status: 'FULFILLED', paid: true, expect: 'NOT_ELIGIBLE' },
    { id: '7004', status: 'CANCELLED', expect: 'ALREADY_CANCELLED' },
    { id: '7005', status: 'ON_HOLD', jobFails: true, expect: 'REJECTED (the job fails; the hold is released)' },
  ] satisfies ShopifyDemoOrder[],
  lines: [
    'npx cancel-orders status shopify:7002    # pending at Shopify: the job id, until the job is done',
    'npx cancel-orders status shopify:gid://shopify/Order/7001    # a global id is part of the workflow id',
  ],
};
