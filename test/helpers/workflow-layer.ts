import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { PROVIDER_IDS, type Policies, type RetrySpec } from '../../src/contract';
import type { MerchantHooks } from '../../src/merchant/port';
import type { ProviderAdapter, ProviderId } from '../../src/providers/types';
import { createWorker } from '../../src/worker/create-worker';
import { workflowBundle } from './bundle';
import { taskQueue } from './temporal';

const quick: RetrySpec = { maximumAttempts: 3, initialIntervalMs: 10, maximumIntervalMs: 50, backoffCoefficient: 2 };

/** Three quick attempts everywhere: local-activity backoff runs in real time, even on a time-skipping server. */
export const QUICK_POLICIES: Policies = {
  provider: Object.fromEntries(PROVIDER_IDS.map((p) => [p, quick])) as Record<ProviderId, RetrySpec>,
  merchant: quick,
  providerCallTimeoutMs: 5000,
};

/** A worker running the real workflows with activities built by createActivities over fake adapters and hooks. */
export async function fakeWorker(
  env: TestWorkflowEnvironment,
  deps: { providers: Partial<Record<ProviderId, ProviderAdapter>>; hooks: MerchantHooks },
): Promise<{ worker: Worker; taskQueue: string }> {
  const tq = taskQueue('wf');
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    taskQueue: tq,
    deps: { ...deps, policies: QUICK_POLICIES },
    worker: { workflowBundle: await workflowBundle(), workflowsPath: undefined },
  });
  return { worker, taskQueue: tq };
}
