import { chmodSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What a running `npm start` tells other processes (the CLI in another shell): where its Temporal is and where its
 * dev key file is (the path only, never key material).
 */
export interface StackFile {
  address: string;
  namespace: string;
  taskQueue: string;
  /** The Web UI (absent when `npm start` uses a Temporal server given by TEMPORAL_ADDRESS). */
  uiUrl?: string;
  codecUrl: string;
  metricsUrl: string;
  /** The dev key file (absent when the user's own PAYLOAD_ENCRYPTION_KEYS are in use). */
  keyFile?: string;
  ports: {
    temporal?: number;
    ui?: number;
    codec: number;
    metrics: number;
    /** Each simulator's port by provider id, and the merchant webhook receiver's. */
    sandbox: Record<string, number>;
  };
  pid: number;
  /**
   * When that process started (Linux: /proc/<pid>/stat's start time, in clock ticks since boot), so a pid reused by
   * another process after a crash is not taken for the stack. Written by writeStackFile.
   */
  pidStart?: string;
}

/** `<data dir>/stack.json`. */
export function stackFilePath(dataDir: string): string {
  return path.join(dataDir, 'stack.json');
}

/** Write the stack file, owner-only, in one step (a reader never sees half of it). */
export function writeStackFile(dataDir: string, stack: StackFile): string {
  const file = stackFilePath(dataDir);
  const tmp = `${file}.${process.pid}.tmp`;
  const withStart: StackFile = { ...stack, pidStart: stack.pidStart ?? processStart(stack.pid) };
  writeFileSync(tmp, JSON.stringify(withStart, null, 2) + '\n', { mode: 0o600 });
  chmodSync(tmp, 0o600); // an existing tmp file keeps its mode under writeFileSync
  renameSync(tmp, file);
  return file;
}

/** Remove the stack file if it is this process's (another `npm start` on the same folder keeps its own). */
export function removeStackFile(dataDir: string, pid: number = process.pid): void {
  const file = stackFilePath(dataDir);
  if (readStackFile(file)?.pid === pid) rmSync(file, { force: true });
}

/** The stack file of a live `npm start` in `dataDir`, or undefined (none, unreadable, or its process is gone). */
export function liveStack(dataDir: string): StackFile | undefined {
  const stack = readStackFile(stackFilePath(dataDir));
  return stack && isAlive(stack.pid) && sameProcess(stack) ? stack : undefined;
}

/**
 * The pid's process is the one that wrote the file: its start time matches. Unknowable (no /proc, or a file written
 * without it) counts as the same.
 */
function sameProcess(stack: StackFile): boolean {
  if (stack.pidStart === undefined) return true;
  const now = processStart(stack.pid);
  return now === undefined || now === stack.pidStart;
}

/** A process's start time from /proc/<pid>/stat (field 22), or undefined where there is no /proc. */
export function processStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function readStackFile(file: string): StackFile | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<StackFile>;
    return typeof parsed.address === 'string' && Number.isInteger(parsed.pid) ? (parsed as StackFile) : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks that the process exists; EPERM means it does, under another user. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The client variables a CLI takes from a live `npm start` when TEMPORAL_ADDRESS is unset: its address, namespace,
 * task queue and Web UI (each unless set), and its dev key when PAYLOAD_ENCRYPTION_KEYS is unset too.
 */
export function stackEnv(
  source: NodeJS.ProcessEnv,
  dataDir: string,
): { env: Record<string, string>; stack?: StackFile } {
  if (source.TEMPORAL_ADDRESS?.trim()) return { env: {} };
  const stack = liveStack(dataDir);
  if (!stack) return { env: {} };
  const env: Record<string, string> = { TEMPORAL_ADDRESS: stack.address };
  const unset = (name: string) => !source[name]?.trim();
  if (unset('TEMPORAL_NAMESPACE')) env.TEMPORAL_NAMESPACE = stack.namespace;
  if (unset('TEMPORAL_TASK_QUEUE')) env.TEMPORAL_TASK_QUEUE = stack.taskQueue;
  if (unset('TEMPORAL_UI_URL') && stack.uiUrl) env.TEMPORAL_UI_URL = stack.uiUrl;
  if (unset('PAYLOAD_ENCRYPTION_KEYS') && stack.keyFile) {
    const keys = readKey(stack.keyFile);
    if (keys) env.PAYLOAD_ENCRYPTION_KEYS = keys;
  }
  return { env, stack };
}

function readKey(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim() || undefined;
  } catch {
    return undefined; // unreadable: an encrypted payload's error then names the export
  }
}
