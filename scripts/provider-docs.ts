import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOCS_MARKERS, renderProviderDocs } from '../src/providers/docs';

/** The README whose provider tables are generated. */
export const README = path.resolve(__dirname, '..', 'README.md');

/** `readme` with its provider tables regenerated from the manifests. */
export function withProviderDocs(readme: string): string {
  const start = readme.indexOf(DOCS_MARKERS.begin);
  const end = readme.indexOf(DOCS_MARKERS.end);
  if (start < 0 || end < start) throw new Error(`README.md: missing ${DOCS_MARKERS.begin} … ${DOCS_MARKERS.end}`);
  return `${readme.slice(0, start + DOCS_MARKERS.begin.length)}\n\n${renderProviderDocs()}\n\n${readme.slice(end)}`;
}

/** `npm run docs:providers` rewrites the tables; `-- --check` only says whether they are fresh. */
function main(argv: string[]): void {
  const have = readFileSync(README, 'utf8');
  const want = withProviderDocs(have);
  if (argv.includes('--check')) {
    if (have !== want) {
      console.error('README.md: the provider tables are stale: run `npm run docs:providers` and commit the result');
      process.exit(1);
    }
    console.log('README.md provider tables: fresh');
    return;
  }
  writeFileSync(README, want);
  console.log('README.md: provider tables written');
}

if (require.main === module) main(process.argv.slice(2));
