import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { bundleVariantPath, workflowInterceptorModules } from '../src/worker/create-worker';
import { FAILURE_CONVERTER_PATH } from '../src/codec';

/**
 * Bundle the workflow code once at build time (lib/workflow-bundle.js): the worker then starts without webpack,
 * and the image runs exactly the code that was tested. Usage: `npm run bundle [-- out-file]`. Four variants: with the
 * tracing interceptor (`*.traced.js`, for OTEL_EXPORTER_OTLP_ENDPOINT) or without, and with the failure converter that
 * encrypts failure messages (`*.encrypted.js`, for PAYLOAD_ENCRYPTION_KEYS) or without; the worker picks its own.
 */
async function main(): Promise<void> {
  const root = path.join(__dirname, '..');
  const out = path.resolve(process.argv[2] ?? path.join(root, 'lib', 'workflow-bundle.js'));
  for (const [tracing, encrypted] of [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ]) {
    const file = bundleVariantPath(out, tracing, encrypted);
    const { code } = await bundleWorkflowCode({
      workflowsPath: require.resolve(path.join(root, 'src', 'workflows')),
      failureConverterPath: encrypted ? FAILURE_CONVERTER_PATH : undefined,
      workflowInterceptorModules: workflowInterceptorModules(tracing),
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
