import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..', '..');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

/**
 * Transpile src/ and the worker child to plain JavaScript under lib/ (ignored by git), as the production image runs
 * compiled code: the child then starts with node alone, without ts-node and the TypeScript compiler in its memory.
 * Returns the child's entry file.
 */
export function compileWorkerChild(): string {
  const out = path.join(ROOT, 'lib', `bench-worker-${process.pid}`);
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  const options = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, 'tsconfig.json'), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: () => undefined,
  })!.options;
  const bench = ['worker-child.ts', 'lib/ceiling-activities.ts'].map((f) => path.join(ROOT, 'bench', f));
  for (const file of [...tsFiles(path.join(ROOT, 'src')), ...bench]) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
      compilerOptions: { ...options, sourceMap: false },
      fileName: file,
    });
    const target = path.join(out, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  return path.join(out, 'bench', 'worker-child.js');
}
