import type { ProviderDemo } from '../plugin';

/** Fungies' part of the `npm start` demo: a paid order (refund step), an early answer, the bulk demo file's orders. */
export const demo: ProviderDemo = {
  orders: [
    { id: 'demo-fungies-1', status: 'PAID', paid: true, expect: 'CANCELLED (with a refund)' },
    { id: 'demo-fungies-2', status: 'PENDING' },
    ...Array.from({ length: 10 }, (_, i) => ({ id: `demo-bulk-fungies-${i + 1}`, status: 'PENDING' })),
  ],
  lines: [
    'npx cancel-orders start --provider fungies --order demo-fungies-2 --reason customer_request --wait accepted' +
      '    # ACCEPTED once eligible and held; the saga goes on',
    'npx cancel-orders bulk --provider fungies --orders-file examples/demo-bulk-fungies.txt --reason inventory --wait',
  ],
};
