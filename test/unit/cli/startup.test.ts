import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { libState, STAMP } from '../../../bin/lib-state';

const ROOT = path.join(__dirname, '..', '..', '..');

test('starting the CLI (building its commands, --help) loads neither the SDK, zod, the worker nor tracing', () => {
  // Every command loads what it needs when it runs: `--help` and a refused flag cost Node's start-up only.
  const script = `
    require('./src/client/cli/main').buildProgram();
    const loaded = Object.keys(require.cache);
    const heavy = ['@temporalio/client', '@temporalio/worker', '@temporalio/proto', 'webpack', '@opentelemetry', 'zod'];
    console.log(JSON.stringify(heavy.filter((m) => loaded.some((f) => f.includes('/node_modules/' + m + '/')))));`;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  expect(JSON.parse(out)).toEqual([]);
});

describe('libState (bin/ runs lib/ only when it is current with src/)', () => {
  function repo(): string {
    const root = mkdtempSync(path.join(tmpdir(), 'lib-state-'));
    mkdirSync(path.join(root, 'src', 'client'), { recursive: true });
    writeFileSync(path.join(root, 'src', 'client', 'a.ts'), '');
    return root;
  }
  const built = (root: string, at: Date) => {
    mkdirSync(path.join(root, 'lib', 'client', 'cli'), { recursive: true });
    writeFileSync(path.join(root, 'lib', 'client', 'cli', 'main.js'), '');
    writeFileSync(path.join(root, STAMP), '');
    utimesSync(path.join(root, STAMP), at, at);
  };

  it('missing without lib/, fresh after a build, stale once a source file changes', () => {
    const root = repo();
    const t = new Date(Date.now() - 60_000);
    utimesSync(path.join(root, 'src', 'client', 'a.ts'), t, t);
    expect(libState(root)).toBe('missing');
    built(root, new Date());
    expect(libState(root)).toBe('fresh');
    writeFileSync(path.join(root, 'src', 'client', 'a.ts'), 'changed');
    const later = new Date(Date.now() + 5_000);
    utimesSync(path.join(root, 'src', 'client', 'a.ts'), later, later);
    expect(libState(root)).toBe('stale');
  });
});
