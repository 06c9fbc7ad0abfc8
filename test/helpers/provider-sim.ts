import { ErrorType, ProviderError } from '../../src/contract';
import { closeSharedAgent } from '../../src/providers/http';
import type { SimServer } from '../../src/sandbox/sim-server';

/** Run a provider simulator for this test file: started once, reset and seeded before each test, then stopped. */
export function useSim(sim: SimServer, seed: Parameters<SimServer['seed']>[0]): void {
  beforeAll(async () => {
    await sim.start();
  });
  afterAll(async () => {
    await sim.stop();
    await closeSharedAgent();
  });
  beforeEach(() => {
    sim.reset();
    sim.seed(seed);
  });
}

/** The rejection of `p`, checked to be a ProviderError that carries none of `secrets` anywhere. */
export async function providerFailure(p: Promise<unknown>, secrets: string[]): Promise<ProviderError> {
  const err: unknown = await p.then(
    () => {
      throw new Error('expected a failure, got success');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  expectNoSecret(err, secrets);
  return err as ProviderError;
}

/** `err`'s message, stack, JSON form and provider message contain none of `secrets`. */
export function expectNoSecret(err: unknown, secrets: string[]): void {
  const e = err as ProviderError;
  for (const text of [e.message, String(e.stack), JSON.stringify(e), String(e.providerMessage)]) {
    for (const secret of secrets) expect(text).not.toContain(secret);
  }
}

/**
 * The transport faults every adapter maps alike (src/providers/http.ts): a proxy's HTML 502 and a hang are
 * transient; an answer that is not JSON or too large is a ProviderResponseError. `cancel` cancels one seeded order.
 */
export function itMapsTransportFaults(o: {
  provider: string;
  sim: SimServer;
  cancel: (over: { timeoutMs?: number }) => Promise<unknown>;
  secrets: string[];
}): void {
  const fails = (over: { timeoutMs?: number } = {}) => providerFailure(o.cancel(over), o.secrets);
  it('maps an HTML 502 page from a proxy to ProviderTransientError (the status decides first)', async () => {
    o.sim.injectFault({ route: 'cancel', html: true });
    const err = await fails();
    expect(err).toMatchObject({ type: ErrorType.Transient, status: 502, retryable: true });
    expect(err.message).toContain(`${o.provider}: HTTP 502`);
  });

  it('gives up on a hanging provider after timeoutMs, transiently', async () => {
    o.sim.injectFault({ route: 'cancel', hang: true });
    const err = await fails({ timeoutMs: 300 });
    expect(err.type).toBe(ErrorType.Transient);
    expect(err.message).toBe(`${o.provider}: no answer within 300 ms`);
  });

  it('maps an answer that is not JSON to ProviderResponseError', async () => {
    o.sim.injectFault({ route: 'cancel', malformed: true });
    const err = await fails();
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toContain('is not JSON');
  });

  it('refuses an answer over 1 MiB with ProviderResponseError', async () => {
    o.sim.injectFault({ route: 'cancel', oversizeBytes: 2 * 1024 * 1024 });
    const err = await fails();
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toMatch(/exceeds the 1048576-byte limit/);
  });
}
