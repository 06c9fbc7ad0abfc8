import type { ProviderDemo } from '../plugin';

/** Ecom's part of the `npm start` demo: one cancellable order (the snapshot says pending: Ecom has no lookup). */
export const demo: ProviderDemo = {
  orders: [{ id: 'demo-ecom-1', status: 'pending', expect: 'CANCELLED', extra: '--snapshot-status pending' }],
};
