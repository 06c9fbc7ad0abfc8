import type { ProviderId } from '../providers/types';
import { EcomSim } from '../providers/ecom/simulator';
import { EvitalrxSim } from '../providers/evitalrx/simulator';
import { FastpodSim } from '../providers/fastpod/simulator';
import { FincartSim } from '../providers/fincart/simulator';
import { FungiesSim } from '../providers/fungies/simulator';
import { MerchantReceiverSim } from './merchant';
import type { SimServer } from './sim-server';

/** Sandbox credentials (not secrets: they only open the local simulators). */
export const SANDBOX_CREDENTIALS = {
  evitalrxApiKey: 'sandbox-evitalrx-apikey-3f9c',
  fincartToken: 'sandbox-fincart-token-81ad',
  fastpodToken: 'sandbox-fastpod-token-77e2',
  fungiesPublicKey: 'pub_sandbox_5b1e',
  fungiesSecretKey: 'sec_sandbox_c0ffee',
  ecomAuthHeader: 'Authorization: Bearer sandbox-ecom-token-4d2a',
  merchantSecret: 'sandbox-merchant-webhook-secret-9e0b',
};

export interface SandboxStack {
  sims: Record<ProviderId, SimServer>;
  evitalrx: EvitalrxSim;
  fincart: FincartSim;
  fastpod: FastpodSim;
  fungies: FungiesSim;
  ecom: EcomSim;
  merchant: MerchantReceiverSim;
  /** Environment variables that point a worker at this sandbox (base URLs and credentials). */
  env: Record<string, string>;
  /** Forget orders, requests, events and faults everywhere. */
  reset(): void;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  host?: string;
  /** Fixed ports (npm start); 0 or absent = any free port. */
  ports?: Partial<Record<ProviderId | 'merchant', number>>;
  /** Latency added to every provider answer (ms). */
  latencyMs?: number;
}

/** Start the five provider simulators and the merchant webhook receiver on loopback. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxStack> {
  const c = SANDBOX_CREDENTIALS;
  const evitalrx = new EvitalrxSim({ apiKey: c.evitalrxApiKey });
  const fincart = new FincartSim({ token: c.fincartToken });
  const fastpod = new FastpodSim({ token: c.fastpodToken });
  const fungies = new FungiesSim({ publicKey: c.fungiesPublicKey, secretKey: c.fungiesSecretKey });
  const ecom = new EcomSim({ authHeader: c.ecomAuthHeader });
  const merchant = new MerchantReceiverSim({ secret: c.merchantSecret });
  const sims: Record<ProviderId, SimServer> = { evitalrx, fincart, fastpod, fungies, ecom };
  const all: [ProviderId | 'merchant', SimServer][] = [
    ...(Object.entries(sims) as [ProviderId, SimServer][]),
    ['merchant', merchant],
  ];
  const host = opts.host ?? '127.0.0.1';
  try {
    for (const [id, sim] of all) {
      sim.latencyMs = id === 'merchant' ? 0 : (opts.latencyMs ?? 0);
      await sim.start(opts.ports?.[id] ?? 0, host);
    }
  } catch (err) {
    await Promise.all(all.map(([, s]) => s.stop()));
    throw err;
  }
  const env: Record<string, string> = {
    EVITALRX_BASE_URL: `${evitalrx.url}/v1/`,
    EVITALRX_API_KEY: c.evitalrxApiKey,
    FINCART_BASE_URL: fincart.url,
    FINCART_TOKEN: c.fincartToken,
    FASTPOD_BASE_URL: fastpod.url,
    FASTPOD_TOKEN: c.fastpodToken,
    FUNGIES_BASE_URL: fungies.url,
    FUNGIES_PUBLIC_KEY: c.fungiesPublicKey,
    FUNGIES_SECRET_KEY: c.fungiesSecretKey,
    ECOM_BASE_URL: ecom.url,
    ECOM_AUTH_HEADER: c.ecomAuthHeader,
    MERCHANT_WEBHOOK_URL: merchant.webhookUrl,
    MERCHANT_WEBHOOK_SECRET: c.merchantSecret,
  };
  return {
    sims,
    evitalrx,
    fincart,
    fastpod,
    fungies,
    ecom,
    merchant,
    env,
    reset: () => all.forEach(([, s]) => s.reset()),
    stop: async () => {
      await Promise.all(all.map(([, s]) => s.stop()));
    },
  };
}
