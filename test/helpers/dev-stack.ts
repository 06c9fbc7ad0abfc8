import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PROVIDER_IDS } from '../../src/contract/providers';
import { portIsFree } from '../../src/devserver/ports';
import type { StackFile } from '../../src/devserver/stack-file';
import { waitFor } from './wait';
import { exitedWithOutput } from './child-exit';

const ROOT = path.join(__dirname, '..', '..');

/** `npm start`'s ports (the sandbox's is the first of PROVIDER_IDS.length + 1 consecutive ones). */
export interface DevPorts {
  temporal: number;
  ui: number;
  codec: number;
  sandbox: number;
  metrics: number;
}

/** An `npm start` in its own process group, as a user runs it in a terminal. */
export interface DevStackProcess {
  child: ChildProcess;
  dataDir: string;
  ports: DevPorts;
  /** DEV_* variables it runs with; DEV_DATA_DIR is what a CLI in another shell needs to find it. */
  env: Record<string, string>;
  /** Everything it printed so far (stdout + stderr). */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Ctrl-C (SIGINT to its process group), then wait for it to exit; removes the temp data dir unless `keepDir`. */
  stop(opts?: { keepDir?: boolean }): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface RunningDevStack extends DevStackProcess {
  /** Its stack.json, read once it appeared. */
  stack: StackFile;
}

const used = new Set<number>();

/** A port in 20000-32767 (below Linux's ephemeral range, so clients' ports do not take it) free now, with `span - 1` after it. */
async function freeRun(span: number): Promise<number> {
  for (let tries = 0; tries < 200; tries++) {
    const base = 20000 + Math.floor(Math.random() * (12767 - span));
    const ports = Array.from({ length: span }, (_, i) => base + i);
    if (ports.some((p) => used.has(p))) continue;
    if ((await Promise.all(ports.map((p) => portIsFree(p)))).every(Boolean)) {
      ports.forEach((p) => used.add(p));
      return base;
    }
  }
  throw new Error('no free port range found');
}

/** Free ports for every service of `npm start`, none of the defaults. */
export async function freeDevPorts(): Promise<DevPorts> {
  return {
    temporal: await freeRun(1),
    ui: await freeRun(1),
    codec: await freeRun(1),
    sandbox: await freeRun(PROVIDER_IDS.length + 1),
    metrics: await freeRun(1),
  };
}

/** DEV_* variables for these ports and data dir. */
export function devEnv(ports: DevPorts, dataDir: string): Record<string, string> {
  return {
    DEV_TEMPORAL_PORT: String(ports.temporal),
    DEV_UI_PORT: String(ports.ui),
    DEV_CODEC_PORT: String(ports.codec),
    DEV_SANDBOX_PORT: String(ports.sandbox),
    DEV_METRICS_PORT: String(ports.metrics),
    DEV_DATA_DIR: dataDir,
  };
}

/** The parent's environment without what would point `npm start` or a CLI elsewhere (TEMPORAL_*, keys, DEV_*). */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) =>
        !/^(TEMPORAL_|DEV_|PAYLOAD_ENCRYPTION_KEYS$|METRICS_BIND_ADDRESS$|JEST_|SHARED_)/.test(k) ||
        k === 'TEMPORAL_CLI_PATH',
    ),
  );
  return { ...env, ...extra };
}

/**
 * Spawn `npm start` (its prestart set-up included) on free ports (or `ports`) with a temp data dir (or `dataDir`),
 * configured through DEV_* variables; `args` go after `--`. Does not wait for it to be ready.
 */
export async function spawnDevStack(
  opts: { ports?: DevPorts; dataDir?: string; args?: string[]; env?: Record<string, string> } = {},
): Promise<DevStackProcess> {
  const ports = opts.ports ?? (await freeDevPorts());
  const ownDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(tmpdir(), 'npm-start-'));
  const env = { ...devEnv(ports, dataDir), ...opts.env };
  // Its own process group: stop() sends SIGINT to npm, its shell and node at once, as a terminal's Ctrl-C does.
  const child = spawn('npm', ['start', ...(opts.args?.length ? ['--', ...opts.args] : [])], {
    cwd: ROOT,
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = exitedWithOutput(child);
  return {
    child,
    dataDir,
    ports,
    env,
    output: () => out,
    exited,
    async stop({ keepDir = false } = {}) {
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGINT');
        } catch {
          // already gone
        }
      }
      const result = await exited;
      if (ownDir && !keepDir) rmSync(dataDir, { recursive: true, force: true });
      return result;
    },
  };
}

/** The banner's last line: printed once everything runs. */
export const BANNER_END = 'Ctrl-C stops everything.';

/** `npm start` on free ports in a temp data dir, once its stack.json is there and its banner printed (fails with its output if it exits). */
export async function startDevStack(
  opts: Parameters<typeof spawnDevStack>[0] & { timeoutMs?: number } = {},
): Promise<RunningDevStack> {
  const proc = await spawnDevStack(opts);
  let ended = false;
  void proc.exited.then(() => (ended = true));
  const file = path.join(proc.dataDir, 'stack.json');
  try {
    const seen = await waitFor(
      () => {
        if (ended) return 'exited';
        // The banner is printed right after stack.json is written, but its bytes reach this pipe later on a
        // busy machine: ready means both.
        if (!proc.output().includes(BANNER_END)) return undefined;
        try {
          return JSON.parse(readFileSync(file, 'utf8')) as StackFile;
        } catch {
          return undefined;
        }
      },
      `${file} and the banner`,
      opts.timeoutMs ?? 240_000,
    );
    if (seen === 'exited') throw new Error('npm start exited before writing its stack.json');
    return { ...proc, stack: seen };
  } catch (err) {
    await proc.stop();
    throw new Error(`${(err as Error).message}\n--- npm start output ---\n${proc.output()}`);
  }
}
