import { LOOKUP_PROVIDERS, PROVIDER_IDS, providerTaskQueue } from '../../src/contract';
import { loadConfig } from '../../src/config';
import { buildAdapters } from '../../src/worker/providers';
import { plugins } from '../../src/providers/plugins';

it('a provider queue is `<task queue>-<provider>`', () => {
  expect(providerTaskQueue('order-cancellation', 'fungies')).toBe('order-cancellation-fungies');
});

it('LOOKUP_PROVIDERS (the workflow sends their eligibility to the provider queue) are the adapters with a lookup', () => {
  // Every provider enabled: its sandbox credentials and a base URL (nothing is called here).
  const all = Object.values(plugins()).map((p) => ({
    ...p.simulator?.env('http://127.0.0.1:1'),
    ...p.simulator?.credentials,
  }));
  const { env } = loadConfig(Object.assign({}, ...all) as Record<string, string>);
  const adapters = buildAdapters(env);
  const withLookup = PROVIDER_IDS.filter((id) => typeof adapters[id]?.lookup === 'function');
  expect(Object.keys(adapters).sort()).toEqual([...PROVIDER_IDS].sort());
  expect(withLookup).toEqual([...LOOKUP_PROVIDERS]);
});
