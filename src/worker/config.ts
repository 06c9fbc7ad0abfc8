import { z } from 'zod';
import { DEFAULT_POLICIES, type Policies, type RetrySpec } from '../activities/policies';
import { DEFAULT_ELIGIBILITY, type EligibilityRules } from '../providers/eligibility';
import { PROVIDER_IDS, type ProviderId } from '../providers/types';

const optional = z
  .string()
  .transform((s) => s.trim())
  .optional()
  .transform((s) => (s === '' ? undefined : s));
const url = z.url({ message: 'must be an http(s) URL' }).optional();
const positiveInt = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .positive('must be > 0');
const list = optional.transform((s) =>
  s
    ?.split(',')
    .map((x) => x.trim())
    .filter(Boolean),
);

/** Every variable the worker reads, checked at start-up. */
const envSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('localhost:7233'),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('order-cancellation'),
  TEMPORAL_API_KEY: optional,
  TEMPORAL_TLS_CERT: optional,
  TEMPORAL_TLS_KEY: optional,
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
});

export type Env = z.infer<typeof envSchema>;

export interface WorkerConfig {
  env: Env;
  policies: Policies;
  eligibility: Record<ProviderId, EligibilityRules>;
}

/** Thrown for a bad environment; the message is one line naming the variable (never its value). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Read and check the environment; per-provider retry budgets and eligibility rules may be overridden too. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`invalid configuration: ${String(issue.path[0])} ${issue.message}`);
  }
  const env = parsed.data;
  if (env.MERCHANT_WEBHOOK_URL && !env.MERCHANT_WEBHOOK_SECRET) {
    throw new ConfigError(
      'invalid configuration: MERCHANT_WEBHOOK_SECRET is required when MERCHANT_WEBHOOK_URL is set',
    );
  }
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    throw new ConfigError('invalid configuration: TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together');
  }
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
  return { env, policies: { ...DEFAULT_POLICIES, provider }, eligibility };
}

function pick(source: NodeJS.ProcessEnv, prefix: string, suffix: string, key: keyof RetrySpec): Partial<RetrySpec> {
  const name = `${prefix}_${suffix}`;
  const raw = source[name];
  if (raw === undefined || raw === '') return {};
  const r = positiveInt.safeParse(raw);
  if (!r.success) throw new ConfigError(`invalid configuration: ${name} ${r.error.issues[0].message}`);
  return { [key]: r.data };
}
