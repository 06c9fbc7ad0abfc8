import fc from 'fast-check';
import { ErrorType, ProviderError } from '../../../src/contract';
import { loadConfig } from '../../../src/config';
import { closeSharedAgent } from '../../../src/providers/http';
import type { ProviderAdapter, ProviderId } from '../../../src/providers/types';
import type { ConfigField } from '../../../src/providers/manifest';
import { MANIFESTS } from '../../../src/providers/registry';
import { startSandbox, type SandboxStack } from '../../../src/sandbox/stack';
import { buildAdapters } from '../../../src/worker/providers';
import { nastyString, params } from '../../helpers/fuzz';

let sandbox: SandboxStack;
let adapters: Partial<Record<ProviderId, ProviderAdapter>>;
let secrets: Record<ProviderId, string[]>;
beforeAll(async () => {
  sandbox = await startSandbox();
  adapters = buildAdapters(loadConfig({ ...sandbox.env, PROVIDER_TIMEOUT_MS: '2000' }).env);
  // What each adapter was given, and so what its provider could echo back: the values of its secret settings (a
  // header setting's value is what follows the header name).
  const e = sandbox.env as Record<string, string | undefined>;
  const value = (f: ConfigField) =>
    f.kind === 'header' ? (e[f.env] ?? '').split(':').slice(1).join(':').trim() : e[f.env];
  secrets = Object.fromEntries(
    MANIFESTS.map((m) => [m.id, m.config.filter((f) => f.secret).flatMap((f) => value(f) ?? [])]),
  ) as Record<ProviderId, string[]>;
});
afterAll(async () => {
  await sandbox?.stop();
  await closeSharedAgent();
});

const KEYS = ['status', 'status_code', 'statusCode', 'message', 'msg', 'data', 'order', 'order_status', 'orders'];
const MORE = ['success', 'error', 'errors', 'results', 'cancelled', 'failed', 'id', 'order_id', 'paid', 'payment'];
/** JSON shaped like the providers' answers: their field names with random values, nested, extra and missing. */
const shapedJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.jsonValue({ maxDepth: 1 }),
    fc.constantFrom('success', 'cancelled', 'CANCELLED', 'error', '0', '1', 'PENDING', 'on_hold'),
    tie('object'),
    fc.array(tie('object'), { maxLength: 3 }),
  ),
  object: fc.dictionary(fc.constantFrom(...KEYS, ...MORE), tie('value'), { maxKeys: 6 }),
}));

/** A provider's answer: any status, odd headers, and a body of random shape, size and encoding. */
const answer = (echo: () => string[]) =>
  fc.record({
    status: fc.oneof(
      fc.constantFrom(200, 201, 204, 301, 400, 401, 403, 404, 409, 422, 429, 500, 503),
      fc.integer({ min: 200, max: 599 }),
    ),
    headers: fc.record(
      {
        'content-type': fc.constantFrom('application/json', 'text/html', 'application/json; charset=latin1', ''),
        'retry-after': fc.oneof(
          fc.nat().map(String),
          nastyString(20).map((s) => s.replace(/[^\x20-\x7e]/g, '')),
        ),
        'x-extra': fc.string({ maxLength: 50, unit: fc.constantFrom(...'abcXYZ 09=;') }),
      },
      { requiredKeys: [] },
    ),
    body: fc.oneof(
      shapedJson.object.map((o) => JSON.stringify(o)),
      fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)), // invalid UTF-8 too
      fc.string({ maxLength: 200_000, unit: 'binary-ascii' }).filter((s) => s.length > 1000 || s.length < 50),
      fc.constantFrom(...echo()).map((s) => JSON.stringify({ status: 'error', message: `bad key ${s}`, error: s })),
      fc.constant(''),
    ),
  });

const KNOWN = new Set<string>(Object.values(ErrorType));
const CALLS: [ProviderId, 'lookup' | 'cancel' | 'cancelMany'][] = [
  ['evitalrx', 'lookup'],
  ['evitalrx', 'cancel'],
  ['fincart', 'cancel'],
  ['fincart', 'cancelMany'],
  ['fastpod', 'lookup'],
  ['fastpod', 'cancel'],
  ['fungies', 'lookup'],
  ['fungies', 'cancel'],
  ['ecom', 'cancel'],
];

let n = 0;
test.each(CALLS)('%s %s: any answer gives a result or one of our errors, never a credential', async (id, method) => {
  const adapter = adapters[id]!;
  const sim = sandbox[id];
  await fc.assert(
    fc.asyncProperty(
      answer(() => secrets[id]),
      async (a) => {
        const orderId = `fz-${++n}`;
        sim.injectFault({ orderId, raw: a, times: 1 });
        const reason = { code: 'other' as const, note: 'fuzz' };
        const call =
          method === 'lookup'
            ? adapter.lookup!(orderId)
            : method === 'cancel'
              ? adapter.cancel(orderId, reason)
              : adapter.cancelMany!([orderId, `${orderId}-b`], reason);
        const outcome = await call.then(
          (r) => ({ ok: r }),
          (e: unknown) => ({ err: e }),
        );
        sim.clearFaults();
        if ('ok' in outcome) {
          const list = Array.isArray(outcome.ok) ? outcome.ok : [outcome.ok];
          for (const r of list) {
            expect(typeof r.orderId).toBe('string');
            expect(typeof r.status).toBe('string');
          }
          expect(list[0].orderId).toBe(orderId);
          return;
        }
        const err = outcome.err as ProviderError;
        expect(err).toBeInstanceOf(ProviderError);
        expect(KNOWN.has(err.type)).toBe(true);
        for (const text of [err.message, JSON.stringify(err)])
          for (const s of secrets[id]) expect(text).not.toContain(s);
      },
    ),
    params(60),
  );
});
