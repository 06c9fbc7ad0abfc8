import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { workflowInterceptorModules } from '../src/worker/create-worker';
import { encryptedBundlePath, FAILURE_CONVERTER_PATH } from '../src/codec';

/**
 * Bundle the workflow code once at build time (lib/workflow-bundle.js): the worker then starts without webpack,
 * and the image runs exactly the code that was tested. Usage: `npm run bundle [-- out-file]`. A second bundle
 * (`*.encrypted.js`) carries the failure converter that encrypts failure messages, for PAYLOAD_ENCRYPTION_KEYS.
 */
async function main(): Promise<void> {
  const root = path.join(__dirname, '..');
  const out = path.resolve(process.argv[2] ?? path.join(root, 'lib', 'workflow-bundle.js'));
  for (const [file, failureConverterPath] of [
    [out, undefined],
    [encryptedBundlePath(out), FAILURE_CONVERTER_PATH],
  ] as const) {
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve(path.join(root, 'src', 'workflows')),
      failureConverterPath,
      // No tracing interceptor: a worker with tracing on bundles the sources at start instead.
      workflowInterceptorModules: workflowInterceptorModules(false),
      logger: { trace: noop, debug: noop, info: noop, warn: console.warn, error: console.error, log: noop },
    });
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, code);
    console.log(`workflow bundle: ${path.relative(process.cwd(), file)} (${Math.round(code.length / 1024)} KiB)`);
  }
}

function noop(): void {}

main().catch((err: unknown) => {
  console.error(`error: workflow bundle failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
