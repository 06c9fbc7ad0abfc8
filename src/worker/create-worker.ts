import { existsSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { encryptedBundlePath } from '../codec';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  maxConcurrentActivityTaskExecutions?: number;
  /** Extra Worker options (tests: e.g. shorter shutdown grace). */
  worker?: Partial<WorkerOptions>;
}

/** A prebuilt workflow bundle (production image) when present, else the sources are bundled at start. */
function workflowSource(encrypted: boolean): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = process.env.WORKFLOW_BUNDLE_PATH ?? path.join(__dirname, '..', 'workflow-bundle.js');
  // With payload encryption, the bundle whose failure converter moves messages into the encrypted payload.
  if (encrypted && existsSync(encryptedBundlePath(bundle)))
    return { workflowBundle: { codePath: encryptedBundlePath(bundle) } };
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../workflows') };
}

/** Dependencies → activities → Worker, as in Temporal's samples. */
export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    activities: createActivities(opts.deps),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 200,
    ...workflowSource(Boolean(opts.worker?.dataConverter?.failureConverterPath)),
    ...opts.worker,
  });
}
