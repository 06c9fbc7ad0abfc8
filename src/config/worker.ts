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

/** The worker's own variables; each provider's come from its manifest (providerEnvFields). */
const coreEnvSchema = z.object({
  ...temporalEnvFields,
  MERCHANT_WEBHOOK_URL: optional.pipe(url),
  MERCHANT_WEBHOOK_SECRET: optional,
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
  PROVIDER_TIMEOUT_MS: positiveInt.default(10_000),
  WORKER_MAX_CONCURRENT_ACTIVITIES: positiveInt.default(200),
  /**
   * Workflow tasks one worker runs at once (unset = the SDK's default). Fewer keeps the waiting in the server's queue,
   * where task priority puts single cancels ahead of a bulk's (BENCHMARKS.md: 5 slots vs 20).
   */
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: optional.pipe(
    z.coerce
      .number<string>({ message: 'must be a number' })
      .int('must be a whole number')
      .positive('must be > 0')
      .optional(),
  ),
  /** On SIGTERM/SIGINT: how long running activities (the pivot above all) may finish before they are cancelled. */
  SHUTDOWN_GRACE_MS: nonNegativeInt.default(30_000),
  /** `GET /healthz` and `/readyz` on host:port; unset = off. */
  HEALTH_BIND_ADDRESS: bindAddress,
  /** Prometheus `/metrics` (SDK runtime + orchestrator metrics) on host:port; unset = off. */
  METRICS_BIND_ADDRESS: bindAddress,
  /** The SDK logger's level. */
  LOG_LEVEL: optional
    .transform((s) => s?.toUpperCase() ?? 'INFO')
    .pipe(z.enum(LOG_LEVELS, { message: `must be one of ${LOG_LEVELS.join(', ')}` })),
  /** A prebuilt workflow bundle (default: lib/workflow-bundle.js when present, else the sources are bundled). */
  WORKFLOW_BUNDLE_PATH: optional,
  /** Worker Deployment Versioning: the deployment and this build's id (both or neither; unset = unversioned). */
  WORKER_DEPLOYMENT_NAME: optional,
  WORKER_BUILD_ID: optional,
});

/** How a manifest's config field is checked: empty counts as unset; a bad value is named in a one-line error. */
function fieldSchema(f: ConfigField): z.ZodType {
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
    fields[`${envPrefix(m.id)}_MAX_CALLS_PER_SECOND`] = optionalRate;
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
