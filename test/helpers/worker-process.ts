import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { workflowBundle, type TestStack } from './stack';
import { waitFor } from './wait';
import { exitedWithOutput } from './child-exit';

const ROOT = path.join(__dirname, '..', '..');

/** A worker running as its own process (`src/worker/main.ts`, as `cancel-orders worker` runs it). */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed so far (stdout + stderr). */
  output(): string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Wait until its output matches `re`. */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<void>;
}

let bundleFile: Promise<string> | undefined;
/** The test bundle written to a file once, so child workers start without webpack (WORKFLOW_BUNDLE_PATH). */
export function bundlePath(): Promise<string> {
  bundleFile ??= workflowBundle().then(({ code }) => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'wf-bundle-')), 'workflow-bundle.js');
    writeFileSync(file, code);
    return file;
  });
  return bundleFile;
}

/** Spawn a worker process on `taskQueue`, wired to the stack's dev server and sandbox; killed at test end if alive. */
export async function spawnWorker(
  stack: TestStack,
  taskQueue: string,
  extraEnv: Record<string, string> = {},
): Promise<WorkerProcess> {
  return startWorkerProcess({
    ...stack.sandbox.env,
    TEMPORAL_ADDRESS: stack.env.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    WORKFLOW_BUNDLE_PATH: await bundlePath(),
    ...extraEnv,
  });
}

/** The real worker entry point (src/worker/main.ts) in its own process, with `env` on top of a minimal one. */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/worker/main.ts'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      TS_NODE_TRANSPILE_ONLY: 'true',
      LOG_LEVEL: 'INFO',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = exitedWithOutput(child);
  let done = false;
  void exited.then(() => (done = true));
  return {
    child,
    output: () => out,
    exited,
    async waitForOutput(re, timeoutMs = 60_000) {
      const seen = await waitFor(
        () => (re.test(out) ? 'matched' : done ? 'exited' : false),
        `worker output ${re}`,
        timeoutMs,
      ).catch((err: Error) => {
        throw new Error(`${err.message}\n--- worker output ---\n${out}`);
      });
      if (seen === 'exited') throw new Error(`worker exited before printing ${re}:\n${out}`);
    },
  };
}

/** Kill a worker process that is still running (test cleanup). */
export async function killWorker(w: WorkerProcess | undefined): Promise<void> {
  if (!w || w.child.exitCode !== null || w.child.signalCode !== null) return;
  w.child.kill('SIGKILL');
  await w.exited;
}
