import { ProviderConfigError } from '../../contract/errors';
import type { ProviderPlugin } from '../plugin';
import { createShopifyAdapter } from './adapter';
import { conformance, SANDBOX_TOKEN } from './conformance';
import { demo } from './demo';
import { manifest } from './manifest';
import type { RefundsBy } from './request';
import { ShopifySim } from './simulator';

export { createShopifyAdapter, DEFAULT_API_VERSION, type ShopifyConfig } from './adapter';
export type { CancelPending, ShopifyAdapter } from './types';
export { manifest };

const P = manifest.id;

/** A setting the adapter cannot do without (the worker enables the provider only when the required ones are set). */
function setting(settings: Readonly<Record<string, string | undefined>>, key: string): string {
  const value = settings[key];
  if (value === undefined) throw new ProviderConfigError(`${P}: ${key} is not set`, { provider: P });
  return value;
}

/**
 * Shopify as a plug-in, in the shape of `ProviderPlugin` (src/providers/plugin.ts on the layout branch; annotate it
 * there): manifest, adapter from its settings, simulator, demo orders, conformance fixture.
 */
export const plugin: ProviderPlugin = {
  manifest,
  createAdapter: (s: Readonly<Record<string, string | undefined>>, common: { timeoutMs: number }) =>
    createShopifyAdapter({
      baseUrl: setting(s, 'baseUrl'),
      accessToken: setting(s, 'accessToken'),
      apiVersion: s.apiVersion,
      refundsBy: s.refundsBy as RefundsBy | undefined,
      notifyCustomer: s.notifyCustomer === undefined ? undefined : s.notifyCustomer === 'true',
      ...common,
    }),
  simulator: {
    create: () => new ShopifySim(SANDBOX_TOKEN),
    credentials: { SHOPIFY_ACCESS_TOKEN: SANDBOX_TOKEN },
    env: (url: string) => ({ SHOPIFY_BASE_URL: url }),
  },
  demo,
  conformance,
};
