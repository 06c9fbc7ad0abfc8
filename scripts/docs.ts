import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_DOC, renderConfigDocs } from './config-docs';
import { PROVIDERS_DOC, withProviderDocs } from './provider-docs';

/** Each generated page and its wanted text from the text it has now. */
const PAGES: readonly { file: string; want: (have: string) => string }[] = [
  { file: CONFIG_DOC, want: () => renderConfigDocs() },
  { file: PROVIDERS_DOC, want: withProviderDocs },
];

/** `npm run docs` rewrites the generated pages; `-- --check` only says whether they are fresh. */
function main(argv: string[]): void {
  const check = argv.includes('--check');
  let stale = 0;
  for (const { file, want } of PAGES) {
    const rel = path.relative(process.cwd(), file);
    const have = readFileSync(file, 'utf8');
    const text = want(have);
    if (have === text) {
      console.log(`${rel}: fresh`);
    } else if (check) {
      console.error(`${rel}: stale: run \`npm run docs\` and commit the result`);
      stale++;
    } else {
      writeFileSync(file, text);
      console.log(`${rel}: written`);
    }
  }
  if (stale) process.exit(1);
}

if (require.main === module) main(process.argv.slice(2));
