import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';
import type { ChildUsage } from '../worker-child';
import { compileWorkerChild } from './compile-child';
import type { BenchContext } from './types';

/** The compiled child entry, made once per bench run. */
let entry: string | undefined;

/** The production worker in a child process (bench/worker-child.ts), and what it reports of itself. */
export interface WorkerChild {
  pid: number;
  /** Its usage right after it started polling (idle). */
  atReady: ChildUsage;
  usage(): Promise<ChildUsage>;
  stop(): Promise<void>;
}

/** BENCH_WORKER_* variables that are not worker options. */
const NOT_OPTIONS = [
  'BENCH_WORKER_NODE_ARGS',
  'BENCH_WORKER_BUNDLE',
  'BENCH_WORKER_BEFORE_BUNDLE',
  'BENCH_WORKER_CANCELS',
  'BENCH_WORKER_VARIANTS',
];

/** Worker option overrides for experiments: BENCH_WORKER_maxCachedWorkflows=500 etc. */
export function workerOverrides(): Record<string, number> | undefined {
  const out = Object.fromEntries(
    Object.entries(process.env)
      .filter(([k]) => k.startsWith('BENCH_WORKER_') && !NOT_OPTIONS.includes(k))
      .map(([k, v]) => [k.slice('BENCH_WORKER_'.length), Number(v)]),
  );
  return Object.keys(out).length ? out : undefined;
}

/** The bundle a worker child loads: BENCH_WORKER_BUNDLE (e.g. an older commit's, for before/after) or `workflows`'. */
export async function workerBundleFile(ctx: BenchContext, workflows: string): Promise<string> {
  const given = process.env.BENCH_WORKER_BUNDLE;
  return given ? path.resolve(given) : bundleFile(ctx, workflows);
}

/** The bundle of `workflows` written to a temp file, for a worker child to load. */
export async function bundleFile(ctx: BenchContext, workflows: string): Promise<string> {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'bench-bundle-')), 'workflow-bundle.js');
  writeFileSync(file, (await ctx.bundle(workflows)).code);
  return file;
}

/**
 * Start the worker child on `taskQueue` with `settings`, wired to the bench's dev server and sandbox; `ceiling`: the
 * same-shape ceiling workflow and its instant activities instead of the production worker (`bundleFile` is then its).
 */
export async function startWorkerChild(
  ctx: BenchContext,
  taskQueue: string,
  bundleFile: string,
  settings: Partial<WorkerOptions>,
  ceiling = false,
  /** Extra worker variables (e.g. MERCHANT_DELIVERY, a variant's settings); they win over the rest. */
  env: Record<string, string> = {},
): Promise<WorkerChild> {
  entry ??= compileWorkerChild();
  const child: ChildProcess = fork(entry, [], {
    // BENCH_WORKER_NODE_ARGS: node flags for the worker child (e.g. --max-old-space-size=256), for experiments.
    execArgv: (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...ctx.sandbox.env,
      BENCH_TEMPORAL_ADDRESS: ctx.env.address,
      BENCH_TASK_QUEUE: taskQueue,
      BENCH_BUNDLE: bundleFile,
      BENCH_WORKER_SETTINGS: JSON.stringify(settings),
      ...(ceiling ? { BENCH_WORKER_CEILING: '1' } : {}),
      // WORKFLOW_STACK_TRACE_LIMIT and WORKER_* tuning given to this bench run reach the child too.
      ...Object.fromEntries(
        Object.entries(process.env).filter(
          (e): e is [string, string] => /^(WORKFLOW_STACK_TRACE_LIMIT|WORKER_MAX_[A-Z_]+)$/.test(e[0]) && !!e[1],
        ),
      ),
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const atReady = await new Promise<ChildUsage>((resolve, reject) => {
    child.once('message', (m: { type: string; usage: ChildUsage }) =>
      m.type === 'ready' ? resolve(m.usage) : reject(new Error(`worker child said ${m.type} first`)),
    );
    void exited.then((code) => reject(new Error(`worker child exited (code ${code}) before it was ready`)));
  });
  let next = 0;
  return {
    pid: child.pid!,
    atReady,
    usage() {
      const id = ++next;
      return new Promise<ChildUsage>((resolve, reject) => {
        const onMessage = (m: { type: string; id?: number; usage: ChildUsage }) => {
          if (m.type !== 'usage' || m.id !== id) return;
          child.off('message', onMessage);
          resolve(m.usage);
        };
        child.on('message', onMessage);
        if (!child.send({ type: 'usage', id })) reject(new Error('worker child is gone'));
      });
    },
    async stop() {
      if (child.exitCode === null) child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
