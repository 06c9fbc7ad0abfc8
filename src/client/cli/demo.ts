import type { Policies } from '../../contract';
import { PROVIDER_IDS, type ProviderId } from '../../contract/providers';
import type { DemoOrder } from '../../providers/plugin';
import { plugins } from '../../providers/plugins';
import type { SandboxStack } from '../../sandbox/stack';

/** Every provider's demo orders (its folder's demo.ts), with the provider they belong to. */
export const DEMO_ORDERS: (DemoOrder & { provider: ProviderId })[] = PROVIDER_IDS.flatMap((provider) =>
  plugins()[provider].demo.orders.map((o) => ({ ...o, provider })),
);

/** Put the demo orders in the simulators, then each provider's demo faults (sized by its sandbox retry budget). */
export function seedDemo(sandbox: SandboxStack, policies: Pick<Policies, 'provider'>): void {
  for (const o of DEMO_ORDERS) sandbox.sims[o.provider].seed([{ id: o.id, status: o.status, paid: o.paid }]);
  for (const id of PROVIDER_IDS) {
    const faults = plugins()[id].demo.faults?.(policies.provider[id].maximumAttempts) ?? [];
    for (const f of faults) sandbox.sims[id].injectFault(f);
  }
}

/** Ready-to-paste lines for a second shell: each provider's printed orders and own lines, then a listing. */
export function demoLines(): string[] {
  const lines = PROVIDER_IDS.flatMap((provider) => {
    const { demo } = plugins()[provider];
    const starts = demo.orders.flatMap((o) => {
      if (o.expect === undefined) return [];
      const cmd = `npx cancel-orders start --provider ${provider} --order ${o.id} --reason ${o.reason ?? 'customer_request'}`;
      return [`${cmd}${o.extra ? ` ${o.extra}` : ''}${o.noWait ? '' : ' --wait'}    # ${o.expect}`];
    });
    return [...starts, ...(demo.lines ?? [])];
  });
  return [...lines, 'npx cancel-orders list --state CANCELLED'].map((l) => `  ${l}`);
}
