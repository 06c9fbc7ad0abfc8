import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PROVIDER_IDS } from '../../src/contract/providers';

const ROOT = path.resolve(__dirname, '../..');
const doc = readFileSync(path.join(ROOT, 'docs/providers.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Run the conformance kit'));
const command = /```sh\n(npx jest [^\n]+)\n```/.exec(section)?.[1] ?? '';

test("docs/providers.md's command runs the conformance kit's file, and no other", () => {
  const [, file] = /^npx jest (\S+) --selectProjects integration -t '[^']+'$/.exec(command) ?? [];
  expect(file).toBeDefined();
  // Jest's own choice of files for these arguments (-t picks tests within them, not files).
  const listed = execFileSync(
    path.join(ROOT, 'node_modules/.bin/jest'),
    ['--listTests', file, '--selectProjects', 'integration'],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const files = listed.split('\n').filter((line) => path.isAbsolute(line)); // not "Running one project: …"
  expect(files.map((f) => path.relative(ROOT, f))).toEqual([file]);
});

test("its -t pattern selects one provider's scenarios (the kit names each describe after the provider's id)", () => {
  const [, pattern] = /-t '([^']+)'$/.exec(command) ?? [];
  const re = new RegExp(pattern);
  const selected = PROVIDER_IDS.filter((id) => re.test(`${id} eligible → CANCELLED`));
  expect(selected).toHaveLength(1);
  expect(re.test(`${selected[0]}x eligible`)).toBe(false);
});
