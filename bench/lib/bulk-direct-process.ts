import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DirectJob, DirectReport } from '../bulk-direct-child';
import type { BenchContext } from './types';

/** The plain script in a child process (bench/bulk-direct-child.ts): one job at a time. */
export interface DirectChild {
  run(job: DirectJob): Promise<DirectReport>;
  stop(): Promise<void>;
}

/** Start the plain-script child (ts-node, transpile only), wired to the bench's sandbox. */
export async function startDirectChild(ctx: BenchContext): Promise<DirectChild> {
  const child: ChildProcess = fork(path.join(__dirname, '..', 'bulk-direct-child.ts'), [], {
    execArgv: ['-r', 'ts-node/register/transpile-only'],
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...ctx.sandbox.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    void exited.then(() => reject(new Error('the plain-script child exited before it was ready')));
  });
  return {
    run(job) {
      return new Promise((resolve, reject) => {
        child.once('message', (m: { type: string; report?: DirectReport; message?: string }) =>
          m.type === 'done' ? resolve(m.report as DirectReport) : reject(new Error(`plain script: ${m.message}`)),
        );
        child.send(job);
      });
    },
    async stop() {
      child.kill();
      await exited;
    },
  };
}
