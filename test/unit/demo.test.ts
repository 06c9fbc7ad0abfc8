import path from 'node:path';
import { DEFAULT_POLICIES } from '../../src/contract';
import { PROVIDER_IDS } from '../../src/contract/providers';
import { readOrdersFile } from '../../src/client/orders-file';
import { DEMO_ORDERS, demoLines, seedDemo } from '../../src/client/cli/demo';
import type { SandboxStack } from '../../src/sandbox/stack';
import type { SimOrder } from '../../src/sandbox/sim-server';

// What `npm start` seeds, recorded per provider.
function seeded(): Record<string, Map<string, SimOrder>> {
  const books: Record<string, Map<string, SimOrder>> = {};
  const sim = (name: string) => ({
    seed: (orders: SimOrder[]) => orders.forEach((o) => (books[name] ??= new Map()).set(o.id, o)),
    injectFault: () => undefined,
  });
  const sims = Object.fromEntries(PROVIDER_IDS.map((p) => [p, sim(p)]));
  seedDemo({ sims } as unknown as SandboxStack, DEFAULT_POLICIES);
  return books;
}

test.each([
  ['fincart', 'demo-bulk-fincart.csv'],
  ['fungies', 'demo-bulk-fungies.txt'],
])('the %s bulk demo file lists orders npm start seeds, and its command is printed', async (provider, file) => {
  const orders = await readOrdersFile(path.join(__dirname, '..', '..', 'examples', file));
  expect(orders.length).toBeGreaterThanOrEqual(10);
  const book = seeded()[provider];
  for (const o of orders) expect(book.get(o.orderId)).toBeDefined();
  expect(demoLines().join('\n')).toContain(`--provider ${provider} --orders-file examples/${file}`);
});

test('the single-order demo orders are still seeded', () => {
  const books = seeded();
  for (const o of DEMO_ORDERS) expect(books[o.provider].get(o.id)?.status).toBe(o.status);
});

test('the early-answer line names a seeded order that is still cancellable', () => {
  const line = demoLines().find((l) => l.includes('--wait accepted'));
  const orderId = line?.match(/--order (\S+)/)?.[1];
  expect(seeded().fungies.get(orderId ?? '')?.status).toBe('PENDING');
});
