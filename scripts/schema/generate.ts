import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DOCS, manifest, toJsonSchema } from './documents';

/** Where the published contract lives (checked in). */
export const SCHEMA_DIR = path.resolve(__dirname, '..', '..', 'schema');

/** Every file of schema/ and its exact text. */
export function render(): Map<string, string> {
  const files = new Map<string, string>();
  const text = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
  files.set('contract.json', text(manifest()));
  for (const doc of DOCS) files.set(doc.file, text(toJsonSchema(doc)));
  return files;
}

/** Files under `dir` that differ from what render() gives, are missing, or are left over. */
export function staleFiles(dir = SCHEMA_DIR): string[] {
  const want = render();
  const have = new Set(safeList(dir));
  const stale = [...want].filter(([name, text]) => !have.has(name) || readFileSync(path.join(dir, name), 'utf8') !== text);
  const extra = [...have].filter((name) => !want.has(name));
  return [...stale.map(([name]) => name), ...extra];
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
}

/** `npm run schema` writes schema/; `npm run schema -- --check` only says whether it is fresh. */
function main(argv: string[]): void {
  if (argv.includes('--check')) {
    const stale = staleFiles();
    if (stale.length) {
      console.error(`schema/ is stale (${stale.join(', ')}): run \`npm run schema\` and commit the result`);
      process.exit(1);
    }
    console.log('schema/: fresh');
    return;
  }
  mkdirSync(SCHEMA_DIR, { recursive: true });
  for (const name of safeList(SCHEMA_DIR)) rmSync(path.join(SCHEMA_DIR, name));
  for (const [name, text] of render()) writeFileSync(path.join(SCHEMA_DIR, name), text);
  console.log(`schema/: wrote ${render().size} files`);
}

if (require.main === module) main(process.argv.slice(2));
