/**
 * The providers this orchestrator knows: one line each, in the contract's order (the `provider` enum of schema/).
 * Manifests only (pure data), so the workflows can import it; each plug-in (adapter, simulator, demo, fixture) is
 * found in the folder named after its id (plugins.ts). Adding a provider: its folder, then one line here.
 */
import type { ProviderManifest } from './manifest';
import { manifest as evitalrx } from './evitalrx/manifest';
import { manifest as fincart } from './fincart/manifest';
import { manifest as fastpod } from './fastpod/manifest';
import { manifest as fungies } from './fungies/manifest';
import { manifest as ecom } from './ecom/manifest';
import { manifest as shopify } from './shopify/manifest';

/** Every provider's manifest, in the contract's order. */
export const MANIFESTS = [evitalrx, fincart, fastpod, fungies, ecom, shopify] as const;

/** Ids of the providers this orchestrator knows. */
export type ProviderId = (typeof MANIFESTS)[number]['id'];

/**
 * The provider of a batch input written before batch inputs named their provider (histories of cancelFincartBatch
 * started before that change replay with it).
 */
export const LEGACY_BATCH_PROVIDER: ProviderId = 'fincart';

const byId = new Map<string, ProviderManifest>(MANIFESTS.map((m) => [m.id, m]));

/** The manifest of a known provider (throws on an unknown id: inputs are validated before they get here). */
export function manifestOf(id: ProviderId): ProviderManifest<ProviderId> {
  const m = byId.get(id);
  if (!m) throw new Error(`unknown provider: ${id}`);
  return m as ProviderManifest<ProviderId>;
}
