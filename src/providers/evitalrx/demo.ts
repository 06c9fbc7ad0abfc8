import type { ProviderDemo } from '../plugin';

/** eVitalRx's part of the `npm start` demo: a cancellable order and an already cancelled one. */
export const demo: ProviderDemo = {
  orders: [
    { id: 'demo-evitalrx-1', status: 'accepted', expect: 'CANCELLED' },
    { id: 'demo-evitalrx-cancelled', status: 'cancelled', expect: 'ALREADY_CANCELLED', reason: 'duplicate' },
  ],
};
