import { loadConfig } from '../../src/config';
import { ProviderRejectedError } from '../../src/contract';
import { judgeStatus } from '../../src/providers/eligibility';
import type { FixtureOrder, ProviderPlugin } from '../../src/providers/plugin';
import { plugins } from '../../src/providers/plugins';
import { MANIFESTS } from '../../src/providers/registry';
import { buildAdapters } from '../../src/worker/providers';
import type { RecordedRequest } from '../../src/sandbox/sim-server';

// Each plug-in, wired as the worker wires it (its variables → loadConfig → buildAdapters), against its own simulator:
// its conformance fixture must describe what the adapter really sends and how its statuses are judged.

const reason = { code: 'customer_request' } as const;

function parsedBody(req: RecordedRequest): unknown {
  if (req.body === '') return undefined;
  return String(req.headers['content-type']).includes('json') ? JSON.parse(req.body) : req.body;
}

describe.each(MANIFESTS.map((m) => [m.id, plugins()[m.id]] as [string, ProviderPlugin]))('%s plug-in', (id, plugin) => {
  const sim = plugin.simulator.create();
  const { orders } = plugin.conformance;
  const all: FixtureOrder[] = Object.values(orders);
  let adapter: NonNullable<ReturnType<typeof buildAdapters>[keyof ReturnType<typeof buildAdapters>]>;

  beforeAll(async () => {
    await sim.start();
    const env = { ...plugin.simulator.env(sim.url), ...plugin.simulator.credentials, PROVIDER_TIMEOUT_MS: '2000' };
    const adapters = buildAdapters(loadConfig(env).env);
    expect(Object.keys(adapters)).toEqual([id]); // its credentials enable it, and only it
    adapter = adapters[id as keyof typeof adapters] as typeof adapter;
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sim.reset();
    sim.seed(all.map(({ id: orderId, status, paid }) => ({ id: orderId, status, paid })));
  });

  it('cancels the eligible order with exactly the documented request', async () => {
    await expect(adapter.cancel(orders.eligible.id, reason)).resolves.toMatchObject({ status: 'CANCELLED' });
    const [req] = sim.requestsFor('cancel', orders.eligible.id);
    const want = plugin.conformance.cancelRequest(orders.eligible.id);
    expect({ method: req.method, path: req.url, body: parsedBody(req) }).toEqual({
      method: want.method,
      path: want.path,
      body: want.body,
    });
    expect(req.headers).toMatchObject(want.headers ?? {});
  });

  it("judges the fixture's statuses as their scenarios say (by lookup, or the caller's snapshot)", async () => {
    const judged = async (o: FixtureOrder) => {
      const status = adapter.lookup ? (await adapter.lookup(o.id)).status : (o.snapshot?.status ?? o.status);
      return judgeStatus(plugin.manifest.eligibility, status);
    };
    expect(await judged(orders.eligible)).toBe('ELIGIBLE');
    expect(await judged(orders.alreadyCancelled)).toBe('ALREADY_CANCELLED');
    expect(await judged(orders.notEligible)).toBe('NOT_ELIGIBLE');
    expect(await judged(orders.refused)).toBe('ELIGIBLE');
  });

  it('is refused on the refused order', async () => {
    if (orders.refused.fault) sim.injectFault(orders.refused.fault);
    await expect(adapter.cancel(orders.refused.id, reason)).rejects.toBeInstanceOf(ProviderRejectedError);
  });
});
