import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkerOptions } from '@temporalio/worker';
import { PROVIDER_IDS } from '../../src/contract';
import { closeSharedAgent } from '../../src/providers/http';
import { startSandbox, type SandboxStack } from '../../src/sandbox/stack';
import { deploymentVersion, loadConfig } from '../../src/config';
import { activityDepsFrom } from '../../src/worker/providers';
import { createWorker } from '../../src/worker/create-worker';
import { workflowBundle } from './bundle';
import { startDevServer, taskQueue } from './temporal';

export { workflowBundle };

/** Fast retry budgets (every registered provider) so exhausted retries happen in well under a second. */
export const FAST_RETRIES: Record<string, string> = Object.fromEntries(
  PROVIDER_IDS.map((id) => id.toUpperCase()).flatMap((p) => [
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

/** The run's shared dev server (own connections; its own server with a Web UI when `uiPort` is given) and one sandbox per test file. */
export async function startTestStack(opts: { uiPort?: number; uiCodecEndpoint?: string } = {}): Promise<TestStack> {
  const env = await startDevServer(opts);
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
        deployment: deploymentVersion(config.env),
        caps: config.caps,
        deps: activityDepsFrom(config, policies),
        // The provider queues' workers get the same activity slots as the main one (a hung call must free its slot).
        maxConcurrentActivityTaskExecutions: workerOptions.maxConcurrentActivityTaskExecutions,
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

/**
 * This file's stack, started before its tests and torn down after them. The object is filled in by `beforeAll`, so
 * read its fields inside tests and hooks, not at module level.
 */
export function useTestStack(): TestStack {
  const stack = {} as TestStack;
  beforeAll(async () => {
    Object.assign(stack, await startTestStack());
  });
  afterAll(async () => {
    await stack.teardown?.();
  });
  return stack;
}
