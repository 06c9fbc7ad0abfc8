import { readFileSync } from 'node:fs';
import { README, withProviderDocs } from '../../scripts/provider-docs';
import { MANIFESTS } from '../../src/providers/registry';

test('the README tables of provider variables and defaults are the ones the manifests give', () => {
  const readme = readFileSync(README, 'utf8');
  // Stale: run `npm run docs:providers` and commit README.md.
  expect(readme).toBe(withProviderDocs(readme));
});

test('every variable of every manifest is in the README, with its provider', () => {
  const readme = readFileSync(README, 'utf8');
  for (const m of MANIFESTS) {
    for (const f of m.config) expect(readme).toMatch(new RegExp(`\\| \`${f.env}\` +\\| ${m.displayName} +\\|`));
  }
});
