import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { workflowBundle } from './stack';
import { waitFor } from './wait';

const ROOT = path.join(__dirname, '..', '..');

/** The workflow bundle written to a file, so worker processes load it instead of bundling again. */
export async function bundleFile(): Promise<string> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'oc-bundle-')), 'workflow-bundle.js');
  writeFileSync(file, (await workflowBundle()).code);
  return file;
}

export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it printed (logs name variables and providers, never a value). */
  output(): string;
  /** Resolves with the exit code or signal. */
  exited: Promise<number | NodeJS.Signals | null>;
  /** Resolves once the worker polls; rejects if it exits first. */
  ready: Promise<void>;
}

/** The real worker entry point (src/worker/main.ts) in its own process (kill it even when `ready` rejects). */
export function startWorkerProcess(env: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/worker/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'INFO', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  // Starting means transpiling the sources and loading the bundle: slow on a busy machine, hence the long wait.
  const ready = Promise.race([
    waitFor(() => out.includes('worker polling'), 'the worker process to poll', 180_000).then(() => undefined),
    exited.then((how) => {
      throw new Error(`worker exited (${String(how)}) while starting:\n${out}`);
    }),
  ]);
  return { child, output: () => out, exited, ready };
}
