import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEV_DIR } from '../../src/devserver/start';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** The lines of one top-level service of docker-compose.yml (two-space indent), up to the next service. */
function service(name: string): string {
  const lines = read('docker-compose.yml').split('\n');
  const start = lines.indexOf(`  ${name}:`);
  expect(start).toBeGreaterThan(0);
  const end = lines.findIndex((l, i) => i > start && /^ {2}\S|^\S/.test(l));
  return lines.slice(start, end).join('\n');
}

test('the image lets its node user write the dev folder `cancel-orders dev` uses (the sandbox profile)', () => {
  // lib/ mirrors src/, so the compiled devserver resolves DEV_DIR to <WORKDIR>/.temporal as from src/.
  expect(path.relative(ROOT, DEV_DIR)).toBe('.temporal');
  const final = read('Dockerfile')
    .split(/^FROM /m)
    .pop() as string;
  expect(final).toMatch(/^WORKDIR \/app$/m);
  const chown = final.search(/^RUN mkdir -p \/app\/\.temporal && chown node:node \/app\/\.temporal$/m);
  expect(chown).toBeGreaterThan(0);
  expect(final.indexOf('USER node')).toBeGreaterThan(chown);
  expect(service('sandbox')).toMatch(/volumes:\n\s+- sandbox-data:\/app\/\.temporal/);
});

test('the Web UI container restarts and reports its health like the server and the worker', () => {
  const ui = service('temporal-ui');
  expect(ui).toMatch(/restart: unless-stopped/);
  expect(ui).toMatch(
    /healthcheck:\n\s+#.*\n\s+test: \['CMD', 'wget', '-q', '-O', '\/dev\/null', 'http:\/\/127\.0\.0\.1:8080\/healthz'\]/,
  );
});
