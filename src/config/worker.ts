import os from 'node:os';
import v8 from 'node:v8';
import { z } from 'zod';
import { DEFAULT_POLICIES, type Policies, type RetrySpec } from '../contract';
import { PROVIDER_IDS, type ProviderId } from '../contract/providers';
import { envPrefix, type ConfigField, type ProviderManifest } from '../providers/manifest';
import type { ProviderSettings } from '../providers/plugin';
import { MANIFESTS, manifestOf } from '../providers/registry';
import { DEFAULT_ELIGIBILITY, type EligibilityRules } from '../providers/eligibility';
import { temporalEnvFields } from './client';
import { DEFAULT_BATCH_CAPS } from '../merchant/batch';
import {
  bindAddress,
  checkTlsPair,
  ConfigError,
  list,
  nonNegativeInt,
  optional,
  optionalRate,
  parseEnv,
  positiveInt,
  url,
} from './env';

const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
/** MERCHANT_DELIVERY's values. */
export const MERCHANT_DELIVERIES = ['per-event', 'batched'] as const;

/** A count that may be left unset (empty counts as unset). */
const optionalCount = optional.pipe(
  z.coerce
    .number<string>({ message: 'must be a number' })
    .int('must be a whole number')
    .positive('must be > 0')
    .optional(),
);

/** The worker's own variables; each provider's come from its manifest (providerEnvFields). */
const coreEnvSchema = z.object({
  ...temporalEnvFields,
  MERCHANT_WEBHOOK_URL: optional
    .pipe(url)
    .describe('where signed merchant events are posted; unset: merchant steps are recorded as skipped'),
  MERCHANT_WEBHOOK_SECRET: optional.describe(
    'HMAC-SHA256 key of the `X-Signature` header; required with MERCHANT_WEBHOOK_URL',
  ),
  MERCHANT_DELIVERY: z
    .enum(MERCHANT_DELIVERIES, { message: `must be one of ${MERCHANT_DELIVERIES.join(', ')}` })
    .default('per-event')
    .describe(
      "How a bulk batch's merchant events are posted: per-event (one POST each) or batched (one signed POST per step of a batch; the receiver must answer per event, docs/bulk.md)",
    ),
  MERCHANT_BATCH_MAX_EVENTS: positiveInt
    .default(DEFAULT_BATCH_CAPS.maxEvents)
    .describe('Batched delivery: most events in one POST (more are split over several POSTs)'),
  MERCHANT_BATCH_MAX_BYTES: positiveInt
    .default(DEFAULT_BATCH_CAPS.maxBytes)
    .describe('Batched delivery: most bytes in the body of one POST (more are split over several POSTs)'),
  PROVIDER_TIMEOUT_MS: positiveInt.default(10_000).describe('timeout of each HTTP call to a provider, in ms'),
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt
    .default(200)
    .describe('activity slots of the main worker and of each provider worker (one per enabled provider)'),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: optionalCount.describe(
    'Workflow tasks one worker runs at once; unset = 20 per core (os.availableParallelism()). Fewer keeps the ' +
      "waiting in the server's queue, where task priority puts single cancels ahead of a bulk's.",
  ),
  WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: optionalCount.describe(
    'Local activities (merchant calls, snapshot checks) one worker runs at once; unset = the workflow-task slots, ' +
      "at least the SDK's 100.",
  ),
  WORKER_MAX_CACHED_WORKFLOWS: optionalCount.describe(
    "Workflows kept in the worker's cache (not replayed on their next task); unset = from memory: half of what " +
      "is left after 256 MB, at 1.5 MB per workflow, at least 10, at most the SDK's heap-based default.",
  ),
  WORKFLOW_STACK_TRACE_LIMIT: optional
    .pipe(
      z.coerce
        .number<string>({ message: 'must be a number' })
        .int('must be a whole number')
        .min(0, 'must be >= 0')
        .optional(),
    )
    .describe(
      "Stack frames each promise of the workflow sandbox records for the SDK's stack-trace query; unset = V8's " +
        '(10, or NODE_OPTIONS=--stack-trace-limit). 0 saves about a tenth of the worker CPU per cancel but empties the ' +
        "query and workflow errors' stacks; 4 saved nothing measurable. The worker's own errors and logs keep theirs.",
    ),
  SHUTDOWN_GRACE_MS: nonNegativeInt
    .default(30_000)
    .describe('on SIGTERM/SIGINT: polling stops, running activities (the pivot) get this long to finish, then exit 0'),
  HEALTH_BIND_ADDRESS: bindAddress.describe(
    '`host:port` for `GET /healthz` (200 polling, 503 draining/connection lost) and `/readyz`; unset: off',
  ),
  METRICS_BIND_ADDRESS: bindAddress.describe(
    '`host:port` for Prometheus `/metrics` (SDK and orchestrator metrics); unset: off (`npm start`: 127.0.0.1:9464)',
  ),
  LOG_LEVEL: optional
    .transform((s) => s?.toUpperCase() ?? 'INFO')
    .pipe(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` }))
    .meta({ description: `the SDK logger's level (${LOG_LEVELS.join(', ')})`, default: 'INFO' }),
  WORKFLOW_BUNDLE_PATH: optional.describe(
    'a prebuilt workflow bundle (unset: lib/workflow-bundle.js when present, else the sources are bundled at start)',
  ),
  WORKER_DEPLOYMENT_NAME: optional.describe(
    'Worker Deployment Versioning: the deployment name (with WORKER_BUILD_ID; unset: unversioned)',
  ),
  WORKER_BUILD_ID: optional.describe(
    "Worker Deployment Versioning: this build's id, e.g. the image tag (with WORKER_DEPLOYMENT_NAME)",
  ),
});

/** How a manifest's config field is checked, described by its manifest line. */
function fieldSchema(f: ConfigField): z.ZodType {
  return fieldCheck(f).describe(f.description);
}

/** A manifest field's check: empty counts as unset; a bad value is named in a one-line error. */
function fieldCheck(f: ConfigField): z.ZodType {
  switch (f.kind) {
    case 'url':
      return f.default === undefined ? optional.pipe(url) : url.default(f.default);
    case 'enum':
      return z.enum(f.values as [string, ...string[]]).default(f.default as string);
    case 'header':
      return optional.refine((s) => s === undefined || /^[A-Za-z0-9-]+:\s*\S/.test(s), {
        message: 'must look like "Header-Name: value"',
      });
    case 'text':
      return f.default === undefined ? optional : z.string().default(f.default);
  }
}

/** Each provider's variables (its manifest's config, and `<ID>_MAX_CALLS_PER_SECOND`: calls/s, every worker). */
function providerEnvFields(): Record<string, z.ZodType> {
  const fields: Record<string, z.ZodType> = {};
  for (const m of MANIFESTS) {
    for (const f of m.config) fields[f.env] = fieldSchema(f);
    fields[`${envPrefix(m.id)}_MAX_CALLS_PER_SECOND`] = optionalRate.meta({
      description: `calls per second to ${m.displayName}, all workers together (lookups and cancels); set on its task queue at start`,
      default: m.maxCallsPerSecond === undefined ? undefined : String(m.maxCallsPerSecond),
    });
  }
  return fields;
}

/** A provider's rate-cap variable. */
export type CapVariable = `${Uppercase<ProviderId>}_MAX_CALLS_PER_SECOND`;

/** Every variable the worker reads (the per-provider retry/status overrides are read by name in loadConfig). */
export const workerEnvSchema = coreEnvSchema.extend(providerEnvFields()) as unknown as z.ZodObject<
  typeof coreEnvSchema.shape & Record<CapVariable, typeof optionalRate>
>;

/** The worker's variables; a provider's own (by the names its manifest gives) are read through providerSettings. */
export type Env = z.infer<typeof workerEnvSchema> & { readonly [variable: string]: unknown };

export interface WorkerConfig {
  env: Env;
  policies: Policies;
  eligibility: Record<ProviderId, EligibilityRules>;
  /** `<PROVIDER>_MAX_CALLS_PER_SECOND` of the providers that have one (unset: the queue's limit is left alone). */
  caps: ProviderCaps;
}

/** Calls per second per provider, across every worker. */
export type ProviderCaps = Partial<Record<ProviderId, number>>;

/** The caps set in `env` (read by name: `<PROVIDER>_MAX_CALLS_PER_SECOND`). */
export function providerCaps(env: Env): ProviderCaps {
  const caps: ProviderCaps = {};
  for (const id of PROVIDER_IDS) {
    const cap =
      env[`${envPrefix(id) as Uppercase<ProviderId>}_MAX_CALLS_PER_SECOND`] ?? manifestOf(id).maxCallsPerSecond;
    if (cap !== undefined) caps[id] = cap;
  }
  return caps;
}

/**
 * A provider's settings from `env`, keyed as its adapter expects (manifest config `key`), or undefined when a required
 * variable is unset (the provider stays disabled).
 */
export function providerSettings(env: Env, m: ProviderManifest): ProviderSettings | undefined {
  const settings = Object.fromEntries(m.config.map((f) => [f.key, env[f.env] as string | undefined]));
  return m.config.every((f) => !f.required || settings[f.key] !== undefined) ? settings : undefined;
}

/** Read and check the environment; per-provider retry budgets and eligibility rules may be overridden too. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const env = parseEnv(workerEnvSchema, source);
  if (env.MERCHANT_WEBHOOK_URL && !env.MERCHANT_WEBHOOK_SECRET) {
    throw new ConfigError(
      'invalid configuration: MERCHANT_WEBHOOK_SECRET is required when MERCHANT_WEBHOOK_URL is set',
    );
  }
  checkTlsPair(env);
  checkDeploymentPair(env);
  const provider = {} as Record<ProviderId, RetrySpec>;
  const eligibility = {} as Record<ProviderId, EligibilityRules>;
  for (const id of PROVIDER_IDS) {
    const P = envPrefix(id);
    provider[id] = {
      ...DEFAULT_POLICIES.provider[id],
      ...pick(source, P, 'RETRY_MAX_ATTEMPTS', 'maximumAttempts'),
      ...pick(source, P, 'RETRY_INITIAL_INTERVAL_MS', 'initialIntervalMs'),
      ...pick(source, P, 'RETRY_MAX_INTERVAL_MS', 'maximumIntervalMs'),
    };
    const cancellable = list.parse(source[`${P}_CANCELLABLE_STATUSES`]);
    eligibility[id] = cancellable ? { ...DEFAULT_ELIGIBILITY[id], cancellable } : DEFAULT_ELIGIBILITY[id];
  }
  return { env, policies: { ...DEFAULT_POLICIES, provider }, eligibility, caps: providerCaps(env) };
}

/** LOG_LEVEL alone (checked before the SDK runtime is installed, which happens before the rest is needed). */
export function loadLogLevel(source: NodeJS.ProcessEnv = process.env): Env['LOG_LEVEL'] {
  return parseEnv(workerEnvSchema.pick({ LOG_LEVEL: true }), source).LOG_LEVEL;
}

/** WORKFLOW_BUNDLE_PATH alone (the worker factory and `npm start` look for a prebuilt bundle). */
export function workflowBundlePath(source: NodeJS.ProcessEnv = process.env): string | undefined {
  return parseEnv(workerEnvSchema.pick({ WORKFLOW_BUNDLE_PATH: true }), source).WORKFLOW_BUNDLE_PATH;
}

/** WORKER_DEPLOYMENT_NAME and WORKER_BUILD_ID go together: a versioned worker needs both. */
function checkDeploymentPair(env: Pick<Env, 'WORKER_DEPLOYMENT_NAME' | 'WORKER_BUILD_ID'>): void {
  const [set, missing] = env.WORKER_DEPLOYMENT_NAME
    ? ['WORKER_DEPLOYMENT_NAME', 'WORKER_BUILD_ID']
    : ['WORKER_BUILD_ID', 'WORKER_DEPLOYMENT_NAME'];
  if (Boolean(env.WORKER_DEPLOYMENT_NAME) !== Boolean(env.WORKER_BUILD_ID)) {
    throw new ConfigError(`invalid configuration: ${missing} is required when ${set} is set`);
  }
}

/** The worker's deployment version, or undefined when versioning is off. */
export function deploymentVersion(env: Env): { deploymentName: string; buildId: string } | undefined {
  const { WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId } = env;
  return deploymentName && buildId ? { deploymentName, buildId } : undefined;
}

function pick(source: NodeJS.ProcessEnv, prefix: string, suffix: string, key: keyof RetrySpec): Partial<RetrySpec> {
  const name = `${prefix}_${suffix}`;
  const raw = source[name];
  if (raw === undefined || raw === '') return {};
  const r = positiveInt.safeParse(raw);
  if (!r.success) throw new ConfigError(`invalid configuration: ${name} ${r.error.issues[0].message}`);
  return { [key]: r.data };
}

/** The machine a worker runs on, as its defaults see it. */
export interface Machine {
  cores: number;
  /** Memory the process may use (its cgroup's limit when it has one), bytes. */
  memoryBytes: number;
  /** V8's heap limit, bytes (the SDK's own cache default comes from it). */
  heapLimitBytes: number;
}

/** This machine: os.availableParallelism(), the cgroup memory limit or os.totalmem(), V8's heap limit. */
export function thisMachine(): Machine {
  const constrained = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.();
  const total = os.totalmem();
  return {
    cores: os.availableParallelism(),
    memoryBytes: constrained && constrained > 0 && constrained < total ? constrained : total,
    heapLimitBytes: v8.getHeapStatistics().heap_size_limit,
  };
}

/** Worker options that default from the machine, and the sandbox's stack-trace limit. */
export interface WorkerTuning {
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentLocalActivityExecutions: number;
  maxCachedWorkflows: number;
  /** Frames per promise in the workflow sandbox; undefined = V8's own. */
  stackTraceLimit?: number;
}

const MB = 2 ** 20;
/** The SDK's default local-activity slots. */
const SDK_LOCAL_ACTIVITY_SLOTS = 100;
/** Workflow-task slots per core: 40 on 2 cores, where 200 gave no more throughput (BENCHMARKS.md, worker section). */
const WORKFLOW_TASKS_PER_CORE = 20;
/** What the worker holds before any workflow (RSS right after start: 180-190 MB measured) plus headroom. */
const BASE_MB = 256;
/** Memory per cached workflow with the reused V8 context (peak RSS growth over 150 in flight, measured). */
const MB_PER_CACHED_WORKFLOW = 1.5;

/** The tuning from WORKER_* variables, each unset one from the machine (see the variables' descriptions). */
export function workerTuning(source: NodeJS.ProcessEnv = process.env, machine: Machine = thisMachine()): WorkerTuning {
  const env = parseEnv(
    workerEnvSchema.pick({
      WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: true,
      WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: true,
      WORKER_MAX_CACHED_WORKFLOWS: true,
      WORKFLOW_STACK_TRACE_LIMIT: true,
    }),
    source,
  );
  const tasks = env.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ?? WORKFLOW_TASKS_PER_CORE * Math.max(1, machine.cores);
  // The SDK's own default (reused V8 context): 600 workflows per GB of heap above 200 MB.
  const heapDefault = Math.max(10, Math.floor(((machine.heapLimitBytes / MB - 200) * 600) / 1024));
  const byMemory = Math.floor(Math.max(0, machine.memoryBytes / MB - BASE_MB) / 2 / MB_PER_CACHED_WORKFLOW);
  const cache = env.WORKER_MAX_CACHED_WORKFLOWS ?? Math.min(heapDefault, Math.max(10, byMemory));
  return {
    maxConcurrentWorkflowTaskExecutions: Math.min(tasks, cache),
    // Not fewer than the SDK's 100: at 40 (= the task slots) 150 cancels in flight ran slower (14-18 vs 18-21/s).
    maxConcurrentLocalActivityExecutions:
      env.WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES ?? Math.max(SDK_LOCAL_ACTIVITY_SLOTS, tasks),
    maxCachedWorkflows: cache,
    stackTraceLimit: env.WORKFLOW_STACK_TRACE_LIMIT,
  };
}
