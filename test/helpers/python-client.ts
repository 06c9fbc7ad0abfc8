import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
/** The throwaway virtual environment `npm test`'s set-up (and .ci/run) creates with test/python/requirements.txt. */
export const PYTHON_VENV = path.join(ROOT, 'test', 'python', '.venv');
const PYTHON = path.join(PYTHON_VENV, 'bin', 'python');
const HOW =
  'run `npm test` (its set-up creates it), or: python3 -m venv test/python/.venv && ' +
  'test/python/.venv/bin/pip install -r test/python/requirements.txt';

/** Fail loudly (never skip) when the venv or its pinned packages are missing. */
export function requirePythonClient(): string {
  if (!existsSync(PYTHON)) throw new Error(`Python client test: no ${path.relative(ROOT, PYTHON)}; ${HOW}`);
  return PYTHON;
}

/** One JSON line the Python client printed. */
export interface PythonStep {
  step: string;
  value: Record<string, unknown>;
}

/** Run test/python/<script> in the venv; resolves with its JSON lines, rejects with its stderr. */
export function runPython(script: string, args: string[], timeoutMs = 60_000): Promise<PythonStep[]> {
  const python = requirePythonClient();
  return new Promise((resolve, reject) => {
    execFile(
      python,
      [path.join(ROOT, 'test', 'python', script), ...args],
      { timeout: timeoutMs, encoding: 'utf8' },
      (err, stdout, stderr) => {
        if (err) return reject(new Error(`${script} failed (${err.message.split('\n')[0]}):\n${stderr}${stdout}`));
        resolve(
          stdout
            .split('\n')
            .filter((l) => l.trim())
            .map((l) => JSON.parse(l) as PythonStep),
        );
      },
    );
  });
}
