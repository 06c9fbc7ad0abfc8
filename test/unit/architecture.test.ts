import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { MANIFESTS } from '../../src/providers/registry';

// A provider is one folder plus one registry line: nothing else in src/ may name it. A plain test (no extra tool):
// dependency-cruiser sees imports, but most mentions are strings and branches ('fincart' === provider), not imports.

const SRC = path.resolve(__dirname, '..', '..', 'src');
const PROVIDERS = path.join(SRC, 'providers');
const REGISTRY = path.join(PROVIDERS, 'registry.ts');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

/** Words of a text, lower-cased: split at non-alphanumerics and camelCase humps (`cancelFooBatch` → cancel foo batch). */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

/** Whether `hay` holds the words of `needle` in a row (so `become` is not `ecom`, but `ECOM_TOKEN` is). */
function names(hay: string[], needle: string[]): boolean {
  return hay.some((_, i) => needle.every((w, j) => hay[i + j] === w));
}

const exceptions = MANIFESTS.flatMap((m) => (m.contractNames ?? []).map((c) => ({ provider: m.id, ...c })));

/** Every line of src/ outside `id`'s folder and the registry that names provider `id` (declared exceptions removed). */
function mentions(id: string): string[] {
  const own = path.join(PROVIDERS, id) + path.sep;
  const needle = words(id);
  return files(SRC)
    .filter((f) => !f.startsWith(own) && f !== REGISTRY)
    .flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((line, i) => ({ line: exceptions.reduce((l, e) => l.split(e.name).join(' '), line), at: i + 1 }))
        .filter(({ line }) => names(words(line), needle))
        .map(({ at }) => `${path.relative(SRC, f)}:${at}`),
    );
}

test.each(MANIFESTS.map((m) => m.id))('src/ names %s only in its own folder and the registry', (id) => {
  expect(mentions(id)).toEqual([]);
});

test.each(exceptions.map((e) => [e.name, e.provider, e.reason]))(
  'declared exception: %s (%s) — %s',
  (name, provider) => {
    // An exception must still be needed: it appears somewhere outside the provider's folder.
    const outside = files(SRC).filter((f) => !f.startsWith(path.join(PROVIDERS, provider) + path.sep));
    expect(outside.some((f) => readFileSync(f, 'utf8').includes(name))).toBe(true);
  },
);

test('every provider folder is registered, and every registered provider has its folder and plug-in', () => {
  const folders = readdirSync(PROVIDERS).filter((n) => statSync(path.join(PROVIDERS, n)).isDirectory());
  expect(folders.sort()).toEqual(MANIFESTS.map((m) => m.id).sort());
  for (const id of folders) {
    for (const file of ['manifest.ts', 'index.ts', 'simulator.ts', 'demo.ts']) {
      expect(statSync(path.join(PROVIDERS, id, file)).isFile()).toBe(true);
    }
  }
});

test('the word matcher finds an id as a word or camelCase part, not inside another word', () => {
  expect(names(words('cancelAcmeBatch ACME_TOKEN acme-batch'), ['acme'])).toBe(true);
  expect(names(words('it becomes decompressed'), ['ecom'])).toBe(false);
  expect(names(words('the Ecom adapter'), ['ecom'])).toBe(true);
});
