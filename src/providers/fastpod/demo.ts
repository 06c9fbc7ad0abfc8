import type { ProviderDemo } from '../plugin';

/** FastPOD's part of the `npm start` demo: a cancellable order, a shipped one, and one that fails a whole budget. */
export const demo: ProviderDemo = {
  orders: [
    { id: 'demo-fastpod-1', status: 'new_order', expect: 'CANCELLED' },
    { id: 'demo-fastpod-shipped', status: 'shipped', expect: 'NOT_ELIGIBLE (exit 3)' },
    {
      id: 'demo-fastpod-flaky',
      status: 'new_order',
      expect: 'AWAITING_OPERATOR after 503s: see status, then retry',
      noWait: true,
    },
  ],
  // The flaky order answers 503 for one whole retry budget, so the saga asks an operator.
  faults: (retryAttempts) => [{ route: 'cancel', orderId: 'demo-fastpod-flaky', status: 503, times: retryAttempts }],
  lines: [
    'npx cancel-orders status fastpod:demo-fastpod-flaky    # state, steps, last error, what to do next',
    'npx cancel-orders retry fastpod:demo-fastpod-flaky',
  ],
};
