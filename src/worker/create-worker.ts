import { existsSync } from 'node:fs';
import path from 'node:path';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { TRACING_WORKFLOW_MODULE, tracingWorkerOptions } from '../tracing';
import { instrumentDeps } from './instrument';

/** Workflow interceptor modules every bundle must include (outcome metrics, tracing); pass them to bundleWorkflowCode. */
export const WORKFLOW_INTERCEPTOR_MODULES = [
  require.resolve('../workflows/metrics-interceptor'),
  TRACING_WORKFLOW_MODULE,
];

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
function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = process.env.WORKFLOW_BUNDLE_PATH ?? path.join(__dirname, '..', 'workflow-bundle.js');
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../workflows') };
}

/** Dependencies → activities → Worker, as in Temporal's samples. */
export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const tracing = tracingWorkerOptions();
  const source = { ...workflowSource(), ...opts.worker };
  return Worker.create({
    connection: opts.connection,
    namespace: opts.namespace ?? 'default',
    taskQueue: opts.taskQueue,
    // Provider latency and webhook deliveries go through the runtime's meter (the Prometheus exporter, when on).
    activities: createActivities(instrumentDeps(opts.deps, Runtime.instance().metricMeter)),
    maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions ?? 200,
    // Spans of activities here; workflow spans leave the sandbox through the `exporter` sink.
    // A prebuilt bundle already holds the workflow interceptor modules (the SDK warns when given them again).
    interceptors: {
      activity: tracing.activityInterceptors,
      workflowModules: source.workflowBundle ? [] : WORKFLOW_INTERCEPTOR_MODULES,
    },
    sinks: tracing.sinks,
    ...source,
  });
}
