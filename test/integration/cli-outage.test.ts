import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalTemporal, type LocalTemporal } from '../../src/devserver/start';
import { freePort } from '../helpers/ports';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';
import { bundlePath, startWorkerProcess, type WorkerProcess } from '../helpers/worker-process';
import { exitedWithOutput } from '../helpers/child-exit';

// The CLI's waits against a Temporal server that crashes: a dev server of this file's own (the run's shared one must
// stay up), on a kept SQLite file, killed (-9) and started again on the same port, with a worker process riding it out.
const stack = useTestStack();
const ROOT = path.join(__dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'cli-outage-'));
const taskQueue = `cli-outage-${process.pid}`;
let ports: { port: number; uiPort: number };
let server: LocalTemporal | undefined;
let worker: WorkerProcess;

const startServer = async () =>
  (server = await startLocalTemporal({ ...ports, dbFile: path.join(dir, 'dev.db'), env: process.env }));

/** `kill -9` this file's dev server (found by its own data folder in its command line), as a crash would end it. */
async function killServer(): Promise<void> {
  const pids = readdirSync('/proc')
    .filter((p) => /^\d+$/.test(p))
    .filter((p) => {
      try {
        const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8');
        return cmd.includes('start-dev') && cmd.includes(dir);
      } catch {
        return false; // gone meanwhile
      }
    });
  expect(pids.length).toBeGreaterThan(0);
  for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
  await waitFor(() => pids.every((p) => !existsProc(p)), 'the killed server to be gone');
}

const existsProc = (pid: string) => {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
};

beforeAll(async () => {
  ports = { port: await freePort(), uiPort: await freePort() };
  await startServer();
  worker = startWorkerProcess({
    ...stack.sandbox.env,
    TEMPORAL_ADDRESS: (server as LocalTemporal).address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: await bundlePath(),
  });
  await worker.waitForOutput(/worker polling/, 120_000);
}, 180_000);

afterAll(async () => {
  worker?.child.kill('SIGKILL');
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The real CLI as a child process whose stderr the test can watch while it runs. */
function cli(args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'cancel-orders.js'), ...args], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TEMPORAL_ADDRESS: (server as LocalTemporal).address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out.stderr += d.toString()));
  const exited = exitedWithOutput(child).then((e) => e.code);
  return { out, exited };
}

const uniq = (name: string) => `${name}-${process.pid}-${Date.now()}`;

test('bulk --wait --json rides out a server outage: notes on stderr as JSON lines, one result object, exit 0', async () => {
  const ids = [1, 2, 3, 4].map((n) => uniq(`fng-out-${n}`));
  stack.sandbox.fungies.seed(ids.map((id) => ({ id, status: 'PENDING' })));
  // Slow provider answers keep the bulk running while the server is down.
  for (const id of ids) stack.sandbox.fungies.injectFault({ route: 'cancel', orderId: id, latencyMs: 1_500 });
  const file = path.join(dir, 'orders.txt');
  writeFileSync(file, ids.join('\n') + '\n');
  const run = cli(['bulk', '--provider', 'fungies', '--orders-file', file, '--concurrency', '2', '--wait', '--json']);

  await waitFor(() => stack.sandbox.fungies.requestsFor('cancel', ids[0]).length > 0, 'the first provider cancel');
  await killServer();
  await waitFor(() => /"event":"unreachable"/.test(run.out.stderr), 'the CLI to say the server is unreachable', 60_000);
  await startServer();
  const code = await run.exited;

  expect({ code, stderr: run.out.stderr }).toMatchObject({ code: 0 });
  const result = JSON.parse(run.out.stdout); // exactly one JSON object on stdout
  expect(result.result).toMatchObject({ state: 'DONE', total: 4, cancelled: 4 });
  const notes = run.out.stderr
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(notes[0]).toMatchObject({ event: 'unreachable', address: (server as LocalTemporal).address });
  expect(notes[notes.length - 1]).toMatchObject({ event: 'reachable' });
  for (const id of ids) expect(stack.sandbox.fungies.orders.get(id)?.status).toBe('CANCELLED');
}, 180_000);

test('start --wait gives up after CANCEL_ORDERS_GIVE_UP_AFTER of outage: exit 1, one line saying what goes on', async () => {
  const orderId = uniq('fng-giveup');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PENDING' }]);
  stack.sandbox.fungies.injectFault({ route: 'cancel', orderId, latencyMs: 60_000 });
  const args = ['start', '--provider', 'fungies', '--order', orderId, '--reason', 'fraud', '--wait'];
  const run = cli(args, { CANCEL_ORDERS_GIVE_UP_AFTER: '4s' });
  await waitFor(() => stack.sandbox.fungies.requestsFor('cancel', orderId).length > 0, 'the provider cancel');
  await killServer();
  const code = await run.exited;
  await startServer(); // for afterAll and any later test

  expect(code).toBe(1);
  const lines = run.out.stderr.trim().split('\n');
  expect(lines[0]).toMatch(/^Temporal at localhost:\d+ is unreachable \(.*\); retrying in 1 s, giving up at /);
  const address = (server as LocalTemporal).address;
  const id = `cancel:fungies:${orderId}`;
  expect(lines[lines.length - 1]).toMatch(
    new RegExp(
      `^error: gave up after \\d+ s: Temporal at ${address} is unreachable \\(--give-up-after 4 s\\); ` +
        `${id} goes on in Temporal: follow it later with npx cancel-orders status ${id}$`,
    ),
  );
  // What was printed before the wait: the cancellation was started, and how to follow it.
  expect(run.out.stdout).toBe(`started ${id}\n  follow: npx cancel-orders status ${id}\n`);
}, 120_000);
