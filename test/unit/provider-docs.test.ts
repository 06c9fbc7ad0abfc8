import { readFileSync } from 'node:fs';
import { PROVIDERS_DOC, withProviderDocs } from '../../scripts/provider-docs';
import { MANIFESTS } from '../../src/providers/registry';

test('the tables of provider variables and defaults in docs/providers.md are the ones the manifests give', () => {
  const page = readFileSync(PROVIDERS_DOC, 'utf8');
  // Stale: run `npm run docs` and commit docs/providers.md.
  expect(page).toBe(withProviderDocs(page));
});

test('every variable of every manifest is in docs/providers.md, with its provider', () => {
  const page = readFileSync(PROVIDERS_DOC, 'utf8');
  for (const m of MANIFESTS) {
    for (const f of m.config) expect(page).toMatch(new RegExp(`\\| \`${f.env}\` +\\| ${m.displayName} +\\|`));
  }
});
