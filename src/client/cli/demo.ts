import type { ProviderId } from '../../providers/types';
import type { SandboxStack } from '../../sandbox/stack';
import type { SimOrder } from '../../sandbox/sim-server';

/** Fixed sandbox ports for `npm start`, so other processes (a second worker, a debugger) can reach them. */
export const DEV_SANDBOX_PORTS: Record<ProviderId | 'merchant', number> = {
  evitalrx: 7301,
  fincart: 7302,
  fastpod: 7303,
  fungies: 7304,
  ecom: 7305,
  merchant: 7306,
};

interface DemoOrder extends SimOrder {
  provider: ProviderId;
  /** What `start --wait` ends with, for the printed hint. */
  expect: string;
  reason?: string;
  extra?: string;
  /** Print the line without --wait (it would wait for an operator). */
  noWait?: boolean;
}

/** Demo orders across all five providers: cancellable ones, one not eligible, one already cancelled, one flaky. */
export const DEMO_ORDERS: DemoOrder[] = [
  { provider: 'fungies', id: 'demo-fungies-1', status: 'PAID', paid: true, expect: 'CANCELLED (with a refund)' },
  { provider: 'evitalrx', id: 'demo-evitalrx-1', status: 'accepted', expect: 'CANCELLED' },
  {
    provider: 'fincart',
    id: 'demo-fincart-1',
    status: 'pending',
    expect: 'CANCELLED',
    extra: '--snapshot-status pending',
  },
  { provider: 'fastpod', id: 'demo-fastpod-1', status: 'new_order', expect: 'CANCELLED' },
  { provider: 'ecom', id: 'demo-ecom-1', status: 'pending', expect: 'CANCELLED', extra: '--snapshot-status pending' },
  { provider: 'fastpod', id: 'demo-fastpod-shipped', status: 'shipped', expect: 'NOT_ELIGIBLE (exit 3)' },
  {
    provider: 'evitalrx',
    id: 'demo-evitalrx-cancelled',
    status: 'cancelled',
    expect: 'ALREADY_CANCELLED',
    reason: 'duplicate',
  },
  {
    provider: 'fastpod',
    id: 'demo-fastpod-flaky',
    status: 'new_order',
    expect: 'AWAITING_OPERATOR after 503s: see status, then retry',
    noWait: true,
  },
  { provider: 'fungies', id: 'demo-fungies-2', status: 'PENDING', expect: 'CANCELLED' },
  { provider: 'fincart', id: 'demo-fincart-2', status: 'pending', expect: 'CANCELLED' },
  { provider: 'fincart', id: 'demo-fincart-3', status: 'pending', expect: 'CANCELLED' },
];

/**
 * Orders of the bulk demo files in examples/ (the Fincart file's snapshot says pending for all; the provider knows that
 * `demo-bulk-fincart-shipped` is not, so its batch is split until that one id is refused alone).
 */
export const DEMO_BULK_ORDERS: SimOrder[] = [
  ...Array.from({ length: 20 }, (_, i) => ({ id: `demo-bulk-fincart-${i + 1}`, status: 'pending' })),
  { id: 'demo-bulk-fincart-shipped', status: 'processing' },
  ...Array.from({ length: 10 }, (_, i) => ({ id: `demo-bulk-fungies-${i + 1}`, status: 'PENDING' })),
];

/** Put the demo orders in the simulators; the flaky one answers 503 for one whole retry budget. */
export function seedDemo(sandbox: SandboxStack, flakyAttempts: number): void {
  for (const o of DEMO_ORDERS) sandbox.sims[o.provider].seed([{ id: o.id, status: o.status, paid: o.paid }]);
  for (const o of DEMO_BULK_ORDERS) sandbox.sims[o.id.includes('fincart') ? 'fincart' : 'fungies'].seed([o]);
  sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'demo-fastpod-flaky', status: 503, times: flakyAttempts });
}

/** Ready-to-paste lines for a second shell. */
export function demoLines(): string[] {
  const starts = DEMO_ORDERS.slice(0, 8).map((o) => {
    const cmd = `npx cancel-orders start --provider ${o.provider} --order ${o.id} --reason ${o.reason ?? 'customer_request'}`;
    return `  ${cmd}${o.extra ? ` ${o.extra}` : ''}${o.noWait ? '' : ' --wait'}    # ${o.expect}`;
  });
  return [
    ...starts,
    '  npx cancel-orders start --provider fungies --order demo-fungies-2 --reason customer_request --wait accepted' +
      '    # ACCEPTED once eligible and held; the saga goes on',
    '  npx cancel-orders status fastpod:demo-fastpod-flaky    # state, steps, last error, what to do next',
    '  npx cancel-orders retry fastpod:demo-fastpod-flaky',
    '  npx cancel-orders list --state CANCELLED',
    '  npx cancel-orders bulk --provider fincart --orders-file examples/demo-bulk-fincart.csv --reason inventory --wait',
    '  npx cancel-orders bulk --provider fungies --orders-file examples/demo-bulk-fungies.txt --reason inventory --wait',
  ];
}
