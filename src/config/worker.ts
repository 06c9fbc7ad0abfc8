import { z } from 'zod';
import { DEFAULT_POLICIES, type Policies, type RetrySpec } from '../contract';
import { PROVIDER_IDS, type ProviderId } from '../contract/providers';
import { DEFAULT_ELIGIBILITY, type EligibilityRules } from '../providers/eligibility';
import { temporalEnvFields } from './client';
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

/** Every variable the worker reads (the per-provider retry/status overrides are read by name in loadConfig). */
export const workerEnvSchema = z.object({
  ...temporalEnvFields,
  EVITALRX_BASE_URL: url.default('https://api.evitalrx.in/v1/'),
  EVITALRX_API_KEY: optional,
  EVITALRX_BODY_ENCODING: z.enum(['json', 'form']).default('json'),
  EVITALRX_REASON_SOURCE: z.enum(['pickup', 'delivery']).default('pickup'),
  FINCART_BASE_URL: url.default('https://api.fincart.io'),
  FINCART_TOKEN: optional,
  FASTPOD_BASE_URL: url.default('https://api-v2.fastpod.net'),
  FASTPOD_TOKEN: optional,
  FUNGIES_BASE_URL: url.default('https://api.fungies.io'),
  FUNGIES_PUBLIC_KEY: optional,
  FUNGIES_SECRET_KEY: optional,
  ECOM_BASE_URL: optional.pipe(url),
  ECOM_AUTH_HEADER: optional.refine((s) => s === undefined || /^[A-Za-z0-9-]+:\s*\S/.test(s), {
    message: 'must look like "Header-Name: value"',
  }),
  ECOM_CHANNEL: z.string().default('api'),
  MERCHANT_WEBHOOK_URL: optional.pipe(url),
  MERCHANT_WEBHOOK_SECRET: optional,
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
  /** Per-provider rate caps (calls per second, every worker together), set on the provider's task queue at start. */
  EVITALRX_MAX_CALLS_PER_SECOND: optionalRate,
  FINCART_MAX_CALLS_PER_SECOND: optionalRate,
  FASTPOD_MAX_CALLS_PER_SECOND: optionalRate,
  FUNGIES_MAX_CALLS_PER_SECOND: optionalRate,
  ECOM_MAX_CALLS_PER_SECOND: optionalRate,
});

export type Env = z.infer<typeof workerEnvSchema>;

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
    const cap = env[`${id.toUpperCase() as Uppercase<ProviderId>}_MAX_CALLS_PER_SECOND`];
    if (cap !== undefined) caps[id] = cap;
  }
  return caps;
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
    const P = id.toUpperCase();
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
