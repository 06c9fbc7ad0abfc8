import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cleanEnv, freeDevPorts, spawnDevStack, startDevStack, type RunningDevStack } from '../helpers/dev-stack';

// `npm start` as a user runs it (its own process, flags and DEV_* variables), and the CLI in "another shell".
jest.setTimeout(300_000);

const ROOT = path.join(__dirname, '..', '..');

/** The CLI (`node bin/cancel-orders.js`, what `npx cancel-orders` runs) with only `env` on top of a clean one. */
function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin', 'cancel-orders.js'), ...args],
      { cwd: ROOT, env: cleanEnv(env), timeout: 120_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let first: RunningDevStack;
let second: RunningDevStack;

beforeAll(async () => {
  // Two at once, each on its own ports and data dir: a second npm start runs beside the first.
  [first, second] = await Promise.all([startDevStack(), startDevStack()]);
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
});

test('npm start comes up on the ports asked for, without a WARN, and writes an owner-only stack.json without key material', () => {
  const file = path.join(first.dataDir, 'stack.json');
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const key = readFileSync(path.join(first.dataDir, 'payload-keys'), 'utf8').trim();
  const text = readFileSync(file, 'utf8');
  expect(text).not.toContain(key.split(':')[1]);
  expect(first.stack).toMatchObject({
    address: `localhost:${first.ports.temporal}`,
    uiUrl: `http://localhost:${first.ports.ui}`,
    codecUrl: `http://127.0.0.1:${first.ports.codec}`,
    metricsUrl: `http://127.0.0.1:${first.ports.metrics}/metrics`,
    keyFile: path.join(first.dataDir, 'payload-keys'),
    ports: { temporal: first.ports.temporal, codec: first.ports.codec, sandbox: { evitalrx: first.ports.sandbox } },
  });
  expect(first.output()).not.toContain('[WARN]');
  expect(first.output()).toContain(`Stack file: ${file}`);
  expect(first.output()).toContain(`Metrics:    http://127.0.0.1:${first.ports.metrics}/metrics`);
});

test('the CLI finds the stack and its dev key by itself: no TEMPORAL_ADDRESS, no PAYLOAD_ENCRYPTION_KEYS', async () => {
  const args = [
    'start',
    '--provider',
    'evitalrx',
    '--order',
    'demo-evitalrx-1',
    '--reason',
    'customer_request',
    '--wait',
  ];
  const run = await cli(args, { DEV_DATA_DIR: first.dataDir });
  expect(run).toMatchObject({ code: 0, stderr: '' });
  expect(run.stdout).toContain('cancel:evitalrx:demo-evitalrx-1: CANCELLED');
  // The status link points at this stack's Web UI, on its port.
  const status = await cli(['status', 'evitalrx:demo-evitalrx-1'], { DEV_DATA_DIR: first.dataDir });
  expect(status.stdout).toContain(`http://localhost:${first.ports.ui}/namespaces/default/workflows/`);
});

test('the second npm start serves its own CLI: its own server, sandbox and key', async () => {
  expect(second.stack.address).not.toBe(first.stack.address);
  const args = [
    'start',
    '--provider',
    'fastpod',
    '--order',
    'demo-fastpod-1',
    '--reason',
    'customer_request',
    '--wait',
  ];
  const run = await cli(args, { DEV_DATA_DIR: second.dataDir });
  expect(run.stdout).toContain('cancel:fastpod:demo-fastpod-1: CANCELLED');
  expect(run.code).toBe(0);
});

test('a CLI pointed at the stack without its key names the fix in one line', async () => {
  const run = await cli(['status', 'evitalrx:demo-evitalrx-1'], { TEMPORAL_ADDRESS: first.stack.address });
  expect(run.code).toBe(1);
  expect(run.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(
      /^error: payload is encrypted with key id "dev-\d+" but PAYLOAD_ENCRYPTION_KEYS is not set: run it from the repository where npm start runs, or export PAYLOAD_ENCRYPTION_KEYS="\$\(cat .*payload-keys\)"$/,
    ),
  ]);
});

test.each([
  ['every port taken', 'temporal', 'Temporal gRPC', '--temporal-port or DEV_TEMPORAL_PORT'],
  ['only the metrics port taken', 'metrics', 'metrics', '--metrics-port or DEV_METRICS_PORT'],
])(
  'a port in use (%s): npm start names the port and the option that moves it, and starts nothing',
  async (_name, busy, what, option) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'npm-start-busy-'));
    try {
      const ports = busy === 'metrics' ? { ...(await freeDevPorts()), metrics: first.ports.metrics } : first.ports;
      const proc = await spawnDevStack({ ports, dataDir });
      const { code } = await proc.exited;
      const port = first.ports[busy as 'temporal' | 'metrics'];
      expect(code).toBe(1);
      expect(proc.output()).toContain(
        `error: port ${port} (${what}) is already in use: is another npm start running? Choose another with ${option}`,
      );
      expect(proc.output()).not.toContain('Address already in use (os error 98)');
      expect(readdirSync(dataDir)).toEqual([]); // nothing half-started: no key, no database, no stack file
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
);

test("a second npm start on a live one's data dir is refused, even on free ports, and leaves its stack file alone", async () => {
  const before = readFileSync(path.join(first.dataDir, 'stack.json'), 'utf8');
  const proc = await spawnDevStack({ dataDir: first.dataDir });
  expect((await proc.exited).code).toBe(1);
  expect(proc.output()).toContain(
    `error: another npm start (pid ${first.stack.pid}) uses the data folder ${first.dataDir}: stop it, or give this ` +
      'one its own with --data-dir or DEV_DATA_DIR',
  );
  expect(readFileSync(path.join(first.dataDir, 'stack.json'), 'utf8')).toBe(before);
});

test('Ctrl-C stops npm start and removes its stack.json', async () => {
  const file = path.join(second.dataDir, 'stack.json');
  expect(existsSync(file)).toBe(true);
  await second.stop({ keepDir: true }); // npm itself ends by the SIGINT; what matters is what dev did
  try {
    expect(second.output()).toContain('stopped: worker drained, sandbox closed, Temporal dev server shut down');
    expect(existsSync(file)).toBe(false);
    expect(existsSync(path.join(second.dataDir, 'dev.db'))).toBe(true); // the data is kept
  } finally {
    rmSync(second.dataDir, { recursive: true, force: true });
  }
});
