import { readFileSync } from 'node:fs';
import path from 'node:path';
import { render, SCHEMA_DIR, staleFiles } from '../../scripts/schema/generate';
import { PROVIDER_IDS } from '../../src/contract';

test('schema/ is exactly what `npm run schema` writes from the zod schemas (regenerate and commit when this fails)', () => {
  expect(staleFiles()).toEqual([]);
});

test('every schema file the contract names exists, and every schema file is named by the contract', () => {
  const manifest = readFileSync(path.join(SCHEMA_DIR, 'contract.json'), 'utf8');
  const named = new Set([...manifest.matchAll(/"([\w.]+\.json)"/g)].map((m) => m[1]));
  const files = [...render().keys()].filter((f) => f !== 'contract.json');
  expect([...named].sort()).toEqual(files.sort());
});

test('the cancelOrder input schema carries the rules a caller in another language must meet', () => {
  const input = JSON.parse(readFileSync(path.join(SCHEMA_DIR, 'cancelOrder.input.json'), 'utf8'));
  expect(input.required).toEqual(['provider', 'orderId', 'reason']);
  // Every registered provider; the first five in their published order (new ones are appended, never reordered).
  expect(input.properties.provider.enum).toEqual([...PROVIDER_IDS]);
  expect(input.properties.provider.enum.slice(0, 5)).toEqual(['evitalrx', 'fincart', 'fastpod', 'fungies', 'ecom']);
  expect(input.properties.orderId).toMatchObject({ minLength: 1, maxLength: 200 });
  expect(new RegExp(input.properties.orderId.pattern, 'u').test('a\u0007b')).toBe(false);
  expect(new RegExp(input.properties.orderId.pattern, 'u').test('../x?y#z')).toBe(true);
});

test('a stale or extra file is reported by name', () => {
  const dir = path.join(SCHEMA_DIR, '..', 'test', 'fixtures', 'no-such-schema-dir');
  expect(staleFiles(dir)).toEqual([...render().keys()]);
});
