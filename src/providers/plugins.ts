import type { ProviderPlugin } from './plugin';
import { MANIFESTS, type ProviderId } from './registry';

let loaded: Record<ProviderId, ProviderPlugin> | undefined;

/**
 * Every provider's plug-in, from the folder named after its id (`./<id>/index.ts` exports `plugin`), so that the
 * registry of manifests stays the one list of providers and the workflow bundle never sees an adapter.
 */
export function plugins(): Record<ProviderId, ProviderPlugin> {
  loaded ??= Object.fromEntries(MANIFESTS.map((m) => [m.id, load(m.id)])) as Record<ProviderId, ProviderPlugin>;
  return loaded;
}

/** One provider's plug-in. */
export function pluginOf(id: ProviderId): ProviderPlugin {
  return plugins()[id];
}

function load(id: ProviderId): ProviderPlugin {
  // A computed require, on purpose: the folder is found by the manifest's id (see the doc comment above).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require(`./${id}`) as { plugin?: ProviderPlugin };
  const plugin = mod.plugin;
  if (!plugin || plugin.manifest !== MANIFESTS.find((m) => m.id === id)) {
    throw new Error(`src/providers/${id}/index.ts must export \`plugin\` with the manifest the registry lists`);
  }
  return plugin;
}
