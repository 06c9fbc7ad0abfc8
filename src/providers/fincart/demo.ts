import type { ProviderDemo } from '../plugin';

/**
 * Fincart's part of the `npm start` demo: single orders (the snapshot says pending: Fincart has no lookup) and the
 * orders of examples/demo-bulk-fincart.csv, whose snapshot says pending for all; `demo-bulk-fincart-shipped` is not,
 * so its batch is split until that one id is refused alone.
 */
export const demo: ProviderDemo = {
  orders: [
    { id: 'demo-fincart-1', status: 'pending', expect: 'CANCELLED', extra: '--snapshot-status pending' },
    { id: 'demo-fincart-2', status: 'pending' },
    { id: 'demo-fincart-3', status: 'pending' },
    ...Array.from({ length: 20 }, (_, i) => ({ id: `demo-bulk-fincart-${i + 1}`, status: 'pending' })),
    { id: 'demo-bulk-fincart-shipped', status: 'processing' },
  ],
  lines: [
    'npx cancel-orders bulk --provider fincart --orders-file examples/demo-bulk-fincart.csv --reason inventory --wait',
  ],
};
