import { readFileSync } from 'node:fs';
import { CONFIG_DOC, READERS, renderConfigDocs, schemaVariables } from '../../scripts/config-docs';

test('docs/configuration.md is the page the env schemas generate', () => {
  // Stale: run `npm run docs` and commit docs/configuration.md.
  expect(readFileSync(CONFIG_DOC, 'utf8')).toBe(renderConfigDocs());
});

test('every variable of every env schema has a one-line description', () => {
  const missing = schemaVariables()
    .filter((v) => !v.description?.trim() || v.description.includes('\n'))
    .map((v) => `${v.name} (${v.readers.join(', ')})`);
  // Add `.describe('what it does')` to the variable in its schema (src/config/*.ts or the provider manifest).
  expect(missing).toEqual([]);
});

test('every process schema is read, and each variable appears in the page with who reads it', () => {
  const page = readFileSync(CONFIG_DOC, 'utf8');
  expect(READERS.map((r) => r.who)).toEqual(expect.arrayContaining(['worker', 'client', 'codec server', 'npm start']));
  for (const v of schemaVariables()) {
    expect(page).toMatch(new RegExp(`\\| \`${v.name}\` +\\| ${v.readers.join(', ')} +\\|`));
  }
});
