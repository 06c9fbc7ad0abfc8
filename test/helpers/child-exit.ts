import type { ChildProcess } from 'node:child_process';

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Resolves when `child` has exited *and* its stdout/stderr have been read to the end ('close'), so output collected
 * from its pipes is complete. Node may emit 'exit' before the pipes' last 'data' (seen on a busy machine: a line the
 * process printed was missing from what the test read). If a grandchild keeps a pipe open, resolves `graceMs` after
 * 'exit' anyway.
 */
export function exitedWithOutput(child: ChildProcess, graceMs = 5_000): Promise<ChildExit> {
  return new Promise((resolve) => {
    let exit: ChildExit | undefined;
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      setTimeout(() => resolve(exit!), graceMs).unref();
    });
    child.once('close', (code, signal) => resolve(exit ?? { code, signal }));
  });
}
