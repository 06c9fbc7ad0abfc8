import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ErrorType, ProviderError } from '../../src/contract';
import { loadConfig } from '../../src/config';
import { closeSharedAgent, send } from '../../src/providers/http';
import type { ProviderAdapter, ProviderId } from '../../src/providers/types';
import { startSandbox, type SandboxStack } from '../../src/sandbox/stack';
import { buildAdapters } from '../../src/worker/providers';

let sandbox: SandboxStack;
let adapters: Partial<Record<ProviderId, ProviderAdapter>>;
beforeAll(async () => {
  sandbox = await startSandbox();
  adapters = buildAdapters(loadConfig({ ...sandbox.env, PROVIDER_TIMEOUT_MS: '1000' }).env);
});
afterAll(async () => {
  await sandbox?.stop();
  await closeSharedAgent();
});
beforeEach(() => sandbox.reset());

const reason = { code: 'other' } as const;
const failureOf = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e as ProviderError,
  );

test('a redirect to another host is not followed: nothing reaches it, the answer is a response error', async () => {
  const seen: IncomingMessage[] = [];
  const other = createServer((req, res) => {
    seen.push(req);
    res.end('{"status":"success"}');
  });
  await new Promise<void>((r) => other.listen(0, '127.0.0.2', r));
  try {
    const target = `http://127.0.0.2:${(other.address() as AddressInfo).port}/steal`;
    sandbox.fastpod.injectFault({ orderId: 'redir-1', redirectTo: target, times: 5 });
    const err = await failureOf(adapters.fastpod!.cancel('redir-1', reason));
    expect(err).toBeInstanceOf(ProviderError);
    expect(err.type).toBe(ErrorType.Response);
    expect(err.message).toMatch(/HTTP 302/);
    expect(seen).toHaveLength(0);
  } finally {
    await new Promise((r) => other.close(r));
  }
});

test('a body that drips slower than the timeout is cut at the call timeout (transient, retried)', async () => {
  // One byte every 100 ms: each byte resets undici's per-chunk body timer, the call's total timeout still fires.
  sandbox.fungies.injectFault({ orderId: 'drip-1', dripMs: 100, times: 1 });
  const err = await failureOf(adapters.fungies!.cancel('drip-1', reason));
  expect(err.type).toBe(ErrorType.Transient);
  expect(err.message).toBe('fungies: no answer within 1000 ms');
  const recorded = sandbox.fungies.requestsFor('cancel', 'drip-1');
  expect(recorded).toHaveLength(1);
});

test("the caller's abort (activity cancellation) stops a slow call at once, not at the call timeout", async () => {
  sandbox.fungies.injectFault({ orderId: 'drip-2', dripMs: 100, times: 1 });
  const caller = new AbortController();
  const started = performance.now();
  setTimeout(() => caller.abort(), 150);
  const err = await failureOf(adapters.fungies!.cancel('drip-2', reason, { signal: caller.signal }));
  expect(err.message).not.toMatch(/no answer within/);
  expect(performance.now() - started).toBeLessThan(900);
  // Aborted before it starts: nothing is sent.
  await failureOf(adapters.fungies!.cancel('drip-3', reason, { signal: AbortSignal.abort() }));
  expect(sandbox.fungies.requestsFor('cancel', 'drip-3')).toHaveLength(0);
});

test('a compressed body is never inflated: the size cap holds for what is held in memory', async () => {
  // 50 MB of JSON compress to ~50 KB; undici's request() does not decompress, so the cap applies to these bytes.
  sandbox.fastpod.injectFault({ orderId: 'gz-1', gzipBytes: 50_000_000, times: 2 });
  const res = await send('fastpod', { method: 'GET', url: `${sandbox.fastpod.url}/v1/orders/gz-1`, headers: {} });
  expect(res.headers['content-encoding']).toBe('gzip');
  expect(res.text.length).toBeLessThan(200_000);
  // A roomy call timeout: on a busy machine 1 s can pass before the answer, and a timeout is not what this checks.
  const patient = buildAdapters(loadConfig({ ...sandbox.env, PROVIDER_TIMEOUT_MS: '15000' }).env);
  const err = await failureOf(patient.fastpod!.lookup!('gz-1'));
  expect(err).toBeInstanceOf(ProviderError);
  expect(err.type).toBe(ErrorType.Response);
});
