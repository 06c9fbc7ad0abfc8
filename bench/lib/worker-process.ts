import { fork, type ChildProcess } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cpuMsOf } from './proc';
import type { ChildUsage, ChildWorkerSpec } from './worker-child';
import type { BenchContext } from './types';

/** A worker running in a child process (bench/lib/worker-child.ts). */
export interface ForkedWorker {
  pid: number;
  /** Stop it (shutdown, then exit) and return its CPU and peak RSS. */
  stop(): Promise<ChildUsage>;
}

/** Fork the production worker on `taskQueue` against the bench's server and sandbox; resolves once it polls. */
export async function forkWorker(
  ctx: BenchContext,
  taskQueue: string,
  overrides?: Record<string, number>,
): Promise<ForkedWorker> {
  const bundle = await ctx.bundle(require.resolve('../../src/workflows'));
  const bundlePath = path.join(os.tmpdir(), `bench-bundle-${process.pid}-${taskQueue}.js`);
  writeFileSync(bundlePath, bundle.code);
  const spec: ChildWorkerSpec = {
    address: ctx.env.address,
    namespace: ctx.env.namespace ?? 'default',
    taskQueue,
    bundlePath,
    sandboxEnv: ctx.sandbox.env,
    overrides,
  };
  const child: ChildProcess = fork(require.resolve('./worker-child.ts'), [JSON.stringify(spec)], {
    // BENCH_WORKER_NODE_ARGS: extra node flags for the worker (e.g. --max-old-space-size=256), for experiments.
    execArgv: ['-r', 'ts-node/register/transpile-only', ...(process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean)],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let usage: ChildUsage | undefined;
  child.on('message', (m) => {
    if (typeof m === 'object' && m !== null && 'usage' in m) usage = (m as { usage: ChildUsage }).usage;
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', (m) => (m === 'ready' ? resolve() : reject(new Error(`worker child said ${String(m)}`))));
    void exited.then((code) => reject(new Error(`worker child exited (${code}) before it was ready`)));
  });
  const pid = child.pid as number;
  return {
    pid,
    async stop() {
      const cpuBefore = cpuMsOf(pid);
      child.send('stop');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
      rmSync(bundlePath, { force: true });
      if (!usage) throw new Error(`worker child ${pid} ended without reporting its usage (cpu so far ${cpuBefore} ms)`);
      return usage;
    },
  };
}
