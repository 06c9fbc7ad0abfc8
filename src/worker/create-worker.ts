import v8 from 'node:v8';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { WorkerDeploymentVersion } from '@temporalio/common';
import { NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { workflowBundlePath } from '../config';
import { workerTuning, type WorkerTuning } from '../config/worker';
import { TRACING_WORKFLOW_MODULE, tracingEnabled, tracingWorkerOptions } from '../tracing';
import { instrumentDeps } from './instrument';
import type { ProviderCaps } from '../config';
import { PROVIDER_IDS } from '../contract/providers';
import { applyProviderCaps, createProviderWorkers, runAlongside } from './provider-workers';

/**
 * The workflow interceptor modules of a bundle: the outcome metrics always; tracing only in a process that traces,
 * because its interceptor slows every workflow (about 1.7x on the bulk test) even when its spans go nowhere.
 * Replay-safe either way: neither adds commands.
 */
export function workflowInterceptorModules(tracing: boolean = tracingEnabled()): string[] {
  const metrics = require.resolve('../workflows/metrics-interceptor');
  return tracing ? [metrics, TRACING_WORKFLOW_MODULE] : [metrics];
}
import { encryptedBundlePath } from '../codec';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue: string;
  deps: ActivityDeps;
  maxConcurrentActivityTaskExecutions?: number;
  /** Worker Deployment Versioning: this worker's version (unset = unversioned). */
  deployment?: WorkerDeploymentVersion;
  /** `<PROVIDER>_MAX_CALLS_PER_SECOND`: applied to the provider queues at start (unset: left as the server has it). */
  caps?: ProviderCaps;
  /** Extra Worker options (tests: e.g. shorter shutdown grace); they win over the tuning. */
  worker?: Partial<WorkerOptions>;
  /** Slots, cache and the sandbox's stack-trace limit (default: the WORKER_* variables, else from the machine). */
  tuning?: WorkerTuning;
}

/**
 * Frames each promise of the workflow sandbox records for the stack-trace query: set for the V8 contexts made from
 * now on (the workflow thread and its sandbox), not this thread's (activities' errors and logs keep theirs).
 */
function limitWorkflowStackTraces(frames: number): void {
  v8.setFlagsFromString(`--stack-trace-limit=${Math.max(0, Math.floor(frames))}`);
}

/** Apply a tuning's stack-trace limit (when set) and return its worker options (slots and cache). */
export function applyTuning(tuning: WorkerTuning = workerTuning()): Omit<WorkerTuning, 'stackTraceLimit'> {
  const { stackTraceLimit, ...options } = tuning;
  if (stackTraceLimit !== undefined) limitWorkflowStackTraces(stackTraceLimit);
  return options;
}

/** The prebuilt bundle of a variant: `workflow-bundle[.traced][.encrypted].js` (`npm run build` writes all four). */
export function bundleVariantPath(base: string, tracing: boolean, encrypted: boolean): string {
  const traced = tracing ? base.replace(/(\.js)?$/, '.traced.js') : base;
  return encrypted ? encryptedBundlePath(traced) : traced;
}

/**
 * The prebuilt workflow bundle (production image) of this worker's variant when present, else the sources are
 * bundled at start with the same interceptors and failure converter. Tracing has its own variant because its
 * interceptor slows every workflow; encryption because its failure converter moves messages into the payload.
 */
function workflowSource(tracing: boolean, encrypted: boolean): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = bundleVariantPath(
    workflowBundlePath() ?? path.join(__dirname, '..', 'workflow-bundle.js'),
    tracing,
    encrypted,
  );
  if (existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../workflows') };
}

/**
 * Dependencies → activities → Worker, as in Temporal's samples. The returned worker is the main one (workflows and
 * merchant calls on `taskQueue`); running it also runs one activity-only worker per enabled provider on
 * `<taskQueue>-<provider>` (see provider-workers.ts), after the provider caps were applied.
 */
export async function createWorker(opts: CreateWorkerOptions): Promise<Worker> {
  const tracing = tracingWorkerOptions();
  const encrypted = Boolean(opts.worker?.dataConverter?.failureConverterPath);
  const source = { ...workflowSource(tracingEnabled(), encrypted), ...opts.worker };
  const namespace = opts.namespace ?? 'default';
  const maxConcurrentActivityTaskExecutions = opts.maxConcurrentActivityTaskExecutions ?? 200;
  const tuning = applyTuning(opts.tuning);
  // Provider latency and webhook deliveries go through the runtime's meter (the Prometheus exporter, when on).
  const activities = createActivities(instrumentDeps(opts.deps, Runtime.instance().metricMeter));
  const options = {
    connection: opts.connection,
    namespace,
    taskQueue: opts.taskQueue,
    activities,
    maxConcurrentActivityTaskExecutions,
    // Spans of activities here; workflow spans leave the sandbox through the `exporter` sink.
    // A prebuilt bundle already holds the workflow interceptor modules (the SDK warns when given them again).
    interceptors: {
      activity: tracing.activityInterceptors,
      workflowModules: source.workflowBundle ? [] : workflowInterceptorModules(),
    },
    sinks: tracing.sinks,
    ...deploymentOptions(opts.deployment),
    ...tuning,
    ...source,
  } satisfies WorkerOptions;
  const where = { namespace, taskQueue: opts.taskQueue };
  const fallbackCaps = await applyProviderCaps(opts.connection, where, opts.caps ?? {}, Runtime.instance().logger);
  const providerWorkers = await createProviderWorkers({
    ...where,
    connection: opts.connection,
    providers: PROVIDER_IDS.filter((id) => opts.deps.providers[id]),
    activities,
    maxConcurrentActivityTaskExecutions,
    fallbackCaps,
    main: options,
  });
  return Worker.create({ ...options, plugins: [...(options.plugins ?? []), runAlongside(providerWorkers)] });
}

/**
 * Versioned: each workflow declares PINNED or AUTO_UPGRADE (setWorkflowOptions); the default is PINNED, the safe
 * choice for anything undeclared, so a running history never meets code it was not started on.
 */
export function deploymentOptions(version?: WorkerDeploymentVersion): Pick<WorkerOptions, 'workerDeploymentOptions'> {
  if (!version) return {};
  return { workerDeploymentOptions: { version, useWorkerVersioning: true, defaultVersioningBehavior: 'PINNED' } };
}
