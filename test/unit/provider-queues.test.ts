import { LOOKUP_PROVIDERS, PROVIDER_IDS, providerTaskQueue } from '../../src/contract';
import { loadConfig } from '../../src/config';
import { buildAdapters } from '../../src/worker/providers';
import { SANDBOX_CREDENTIALS as c } from '../../src/sandbox/stack';

it('a provider queue is `<task queue>-<provider>`', () => {
  expect(providerTaskQueue('order-cancellation', 'fungies')).toBe('order-cancellation-fungies');
});

it('LOOKUP_PROVIDERS (the workflow sends their eligibility to the provider queue) are the adapters with a lookup', () => {
  const { env } = loadConfig({
    EVITALRX_API_KEY: c.EVITALRX_API_KEY,
    FINCART_TOKEN: c.FINCART_TOKEN,
    FASTPOD_TOKEN: c.FASTPOD_TOKEN,
    FUNGIES_PUBLIC_KEY: c.FUNGIES_PUBLIC_KEY,
    FUNGIES_SECRET_KEY: c.FUNGIES_SECRET_KEY,
    ECOM_BASE_URL: 'http://127.0.0.1:1',
    ECOM_AUTH_HEADER: c.ECOM_AUTH_HEADER,
  });
  const adapters = buildAdapters(env);
  const withLookup = PROVIDER_IDS.filter((id) => typeof adapters[id]?.lookup === 'function');
  expect(Object.keys(adapters).sort()).toEqual([...PROVIDER_IDS].sort());
  expect(withLookup).toEqual([...LOOKUP_PROVIDERS]);
});
