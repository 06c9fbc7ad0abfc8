import { PROVIDER_IDS, type ProviderId } from '../contract/providers';
import { plugins } from '../providers/plugins';
import { MerchantReceiverSim } from './merchant';
import type { SimServer } from './sim-server';

/** The merchant receiver's secret in the sandbox (not a secret: it only opens the local receiver). */
const SANDBOX_MERCHANT_SECRET = 'sandbox-merchant-webhook-secret-9e0b';

/** Sandbox credentials by variable name (not secrets: they only open the local simulators), the merchant's too. */
export const SANDBOX_CREDENTIALS: Readonly<Record<string, string>> = Object.fromEntries([
  ...Object.values(plugins()).flatMap((p) => Object.entries(p.simulator.credentials)),
  ['MERCHANT_WEBHOOK_SECRET', SANDBOX_MERCHANT_SECRET],
]);

/** Every provider's simulator (by id), the merchant receiver, and how to point a worker at them. */
export type SandboxStack = Record<ProviderId, SimServer> & {
  sims: Record<ProviderId, SimServer>;
  merchant: MerchantReceiverSim;
  /** Environment variables that point a worker at this sandbox (base URLs and credentials). */
  env: Record<string, string>;
  /** Forget orders, requests, events and faults everywhere. */
  reset(): void;
  stop(): Promise<void>;
};

export interface SandboxOptions {
  host?: string;
  /** Fixed ports (npm start); 0 or absent = any free port. */
  ports?: Partial<Record<ProviderId | 'merchant', number>>;
  /** Latency added to every provider answer (ms). */
  latencyMs?: number;
}

/** Fixed ports from `base`: the merchant receiver keeps base+5, the providers take the others in registry order. */
export function sandboxPorts(base: number): Record<ProviderId | 'merchant', number> {
  const merchant = base + 5;
  const ports = PROVIDER_IDS.map((id, i) => [id, i < 5 ? base + i : base + i + 1]);
  return { ...Object.fromEntries(ports), merchant } as Record<ProviderId | 'merchant', number>;
}

/** Start every provider's simulator and the merchant webhook receiver on loopback. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxStack> {
  const all = plugins();
  const sims = Object.fromEntries(PROVIDER_IDS.map((id) => [id, all[id].simulator.create()])) as Record<
    ProviderId,
    SimServer
  >;
  const merchant = new MerchantReceiverSim({ secret: SANDBOX_MERCHANT_SECRET });
  const servers: [ProviderId | 'merchant', SimServer][] = [
    ...(Object.entries(sims) as [ProviderId, SimServer][]),
    ['merchant', merchant],
  ];
  const host = opts.host ?? '127.0.0.1';
  try {
    for (const [id, sim] of servers) {
      sim.latencyMs = id === 'merchant' ? 0 : (opts.latencyMs ?? 0);
      await sim.start(opts.ports?.[id] ?? 0, host);
    }
  } catch (err) {
    await Promise.all(servers.map(([, s]) => s.stop()));
    throw err;
  }
  const env: Record<string, string> = {
    ...Object.assign(
      {},
      ...PROVIDER_IDS.map((id) => ({ ...all[id].simulator.env(sims[id].url), ...all[id].simulator.credentials })),
    ),
    MERCHANT_WEBHOOK_URL: merchant.webhookUrl,
    MERCHANT_WEBHOOK_SECRET: SANDBOX_MERCHANT_SECRET,
  };
  return {
    ...sims,
    sims,
    merchant,
    env,
    reset: () => servers.forEach(([, s]) => s.reset()),
    stop: async () => {
      await Promise.all(servers.map(([, s]) => s.stop()));
    },
  };
}
