import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError } from '../../src/config';
import { DEFAULT_DEV_DATA_DIR, devEnvSchema, loadDevSettings, parsePortOption } from '../../src/config/dev';
import { liveStack, removeStackFile, stackEnv, writeStackFile, type StackFile } from '../../src/devserver/stack-file';

const dir = mkdtempSync(path.join(tmpdir(), 'dev-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stack = (pid: number, keyFile?: string): StackFile => ({
  address: 'localhost:21000',
  namespace: 'default',
  taskQueue: 'order-cancellation',
  uiUrl: 'http://localhost:21001',
  codecUrl: 'http://127.0.0.1:21002',
  metricsUrl: 'http://127.0.0.1:21003/metrics',
  keyFile,
  ports: { temporal: 21000, ui: 21001, codec: 21002, metrics: 21003, sandbox: { merchant: 21010 } },
  pid,
});

test('npm start settings: the defaults, DEV_* variables, and flags over variables', () => {
  expect(loadDevSettings({}, {})).toEqual({
    ports: { temporal: 7233, ui: 8233, codec: 8888, sandbox: 7301, metrics: 9464 },
    dataDir: DEFAULT_DEV_DATA_DIR,
  });
  const env = { DEV_CODEC_PORT: '9888', DEV_UI_PORT: ' ', DEV_DATA_DIR: 'tmp/x' };
  expect(loadDevSettings({ temporalPort: 17233 }, env)).toEqual({
    ports: { temporal: 17233, ui: 8233, codec: 9888, sandbox: 7301, metrics: 9464 },
    dataDir: path.resolve('tmp/x'),
  });
  expect(loadDevSettings({ codecPort: 1, dataDir: '/d' }, env)).toMatchObject({ ports: { codec: 1 }, dataDir: '/d' });
});

test('a bad port is a one-line error naming the variable (or, for a flag, what is wrong)', () => {
  expect(() => loadDevSettings({}, { DEV_METRICS_PORT: '70000' })).toThrow(
    new ConfigError('invalid configuration: DEV_METRICS_PORT must be a port from 1 to 65535'),
  );
  expect(() => loadDevSettings({}, { DEV_SANDBOX_PORT: 'abc' })).toThrow(
    'invalid configuration: DEV_SANDBOX_PORT must be a port number',
  );
  expect(parsePortOption('8080')).toBe(8080);
  expect(() => parsePortOption('0')).toThrow('must be a port from 1 to 65535');
  expect(() => parsePortOption('80.5')).toThrow('must be a whole number');
});

test('every DEV_* variable says what it does', () => {
  for (const [name, field] of Object.entries(devEnvSchema.shape))
    expect([name, field.description]).toEqual([name, expect.stringMatching(/^npm start: /)]);
});

test('stack.json: owner-only, read back only while its process lives, removed only by its own process', () => {
  const d = path.join(dir, 'live');
  writeStackFile(dir, stack(process.pid));
  expect(statSync(path.join(dir, 'stack.json')).mode & 0o777).toBe(0o600);
  expect(liveStack(dir)?.address).toBe('localhost:21000');
  removeStackFile(dir, process.pid + 1_000_000); // not its owner: kept
  expect(liveStack(dir)).toBeDefined();
  removeStackFile(dir);
  expect(liveStack(dir)).toBeUndefined();
  // A stack file left by a process that is gone is ignored.
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  writeStackFile(dir, stack(Number(gone)));
  expect(liveStack(dir)).toBeUndefined();
  expect(liveStack(d)).toBeUndefined(); // no folder at all
});

test('stack.json left by a crashed npm start whose pid now belongs to another process is ignored', () => {
  writeStackFile(dir, stack(process.pid));
  expect(liveStack(dir)?.pidStart).toMatch(/^\d+$/); // this process's own start time, from /proc
  // The same pid, a different start time: another process took the pid over.
  writeStackFile(dir, { ...stack(process.pid), pidStart: '1' });
  expect(liveStack(dir)).toBeUndefined();
  removeStackFile(dir);
});

test("the CLI takes a live stack's address and key only where the user set nothing", () => {
  const keyFile = path.join(dir, 'payload-keys');
  writeFileSync(keyFile, `dev-1:${Buffer.alloc(32, 7).toString('base64')}\n`);
  writeStackFile(dir, stack(process.pid, keyFile));
  expect(stackEnv({}, dir).env).toEqual({
    TEMPORAL_ADDRESS: 'localhost:21000',
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: 'order-cancellation',
    TEMPORAL_UI_URL: 'http://localhost:21001',
    PAYLOAD_ENCRYPTION_KEYS: `dev-1:${Buffer.alloc(32, 7).toString('base64')}`,
  });
  expect(stackEnv({ TEMPORAL_ADDRESS: 'temporal.example:7233' }, dir).env).toEqual({});
  const own = stackEnv({ PAYLOAD_ENCRYPTION_KEYS: 'mine:x', TEMPORAL_TASK_QUEUE: 'q' }, dir).env;
  expect(own).not.toHaveProperty('PAYLOAD_ENCRYPTION_KEYS');
  expect(own).not.toHaveProperty('TEMPORAL_TASK_QUEUE');
  removeStackFile(dir);
});
