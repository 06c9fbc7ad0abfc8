import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  bundleWorkflowCode,
  type WorkflowBundleWithSourceMap,
  type Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { closeSharedAgent } from '../../src/providers/http';
import { createWebhookHooks } from '../../src/merchant/webhook';
import { startSandbox, type SandboxStack } from '../../src/sandbox/stack';
import { loadConfig } from '../../src/config';
import { buildAdapters } from '../../src/worker/providers';
import { createWorker } from '../../src/worker/create-worker';
import { startDevServer, taskQueue } from './temporal';

/** Fast retry budgets so exhausted retries happen in well under a second. */
export const FAST_RETRIES: Record<string, string> = Object.fromEntries(
  ['EVITALRX', 'FINCART', 'FASTPOD', 'FUNGIES', 'ECOM'].flatMap((p) => [
    [`${p}_RETRY_MAX_ATTEMPTS`, '3'],
    [`${p}_RETRY_INITIAL_INTERVAL_MS`, '20'],
    [`${p}_RETRY_MAX_INTERVAL_MS`, '50'],
  ]),
);

export interface TestStack {
  env: TestWorkflowEnvironment;
  sandbox: SandboxStack;
  /** A worker on a fresh task queue, wired to the sandbox. */
  newWorker(
    extraEnv?: Record<string, string>,
    taskQueue?: string,
    worker?: Partial<WorkerOptions>,
  ): Promise<{ worker: Worker; taskQueue: string }>;
  teardown(): Promise<void>;
}

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The workflow bundle, built once per test file (bundling takes seconds; workers reuse it). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), logger: quietLogger });
  return bundle;
}
const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

/** One dev server and one sandbox per test file. */
export async function startTestStack(): Promise<TestStack> {
  const env = await startDevServer();
  const sandbox = await startSandbox();
  return {
    env,
    sandbox,
    async newWorker(extraEnv = {}, existingQueue?: string, workerOptions: Partial<WorkerOptions> = {}) {
      const tq = existingQueue ?? taskQueue('cancel');
      const config = loadConfig({ ...sandbox.env, ...FAST_RETRIES, PROVIDER_TIMEOUT_MS: '2000', ...extraEnv });
      const policies = {
        ...config.policies,
        merchant: { maximumAttempts: 3, initialIntervalMs: 20, maximumIntervalMs: 50, backoffCoefficient: 2 },
        providerCallTimeoutMs: 5000,
      };
      const worker = await createWorker({
        connection: env.nativeConnection,
        taskQueue: tq,
        deps: {
          providers: buildAdapters(config.env),
          hooks: createWebhookHooks({
            url: config.env.MERCHANT_WEBHOOK_URL,
            secret: config.env.MERCHANT_WEBHOOK_SECRET,
          }),
          eligibility: config.eligibility,
          policies,
        },
        // A stopped worker's sticky queue is abandoned quickly, so restart tests do not wait 10 s for it.
        worker: {
          workflowBundle: await workflowBundle(),
          workflowsPath: undefined,
          stickyQueueScheduleToStartTimeout: '1s',
          ...workerOptions,
        },
      });
      return { worker, taskQueue: tq };
    },
    async teardown() {
      await sandbox.stop();
      await closeSharedAgent();
      await env.teardown();
    },
  };
}
