import { plugins } from '../providers/plugins';
import type { ProviderAdapter, ProviderId } from '../providers/types';
import { providerSettings, type Env, type WorkerConfig } from '../config';
import type { ProviderPlugin } from '../providers/plugin';
import type { Policies } from '../contract';
import type { ActivityDeps } from '../activities';
import { createWebhookHooks, type WebhookConfig } from '../merchant/webhook';
import { createBatchWebhookHooks } from '../merchant/batch';

/** Adapters for the providers whose required settings (credentials) are set; the others stay disabled. */
export function buildAdapters(env: Env): Partial<Record<ProviderId, ProviderAdapter>> {
  const out: Partial<Record<ProviderId, ProviderAdapter>> = {};
  for (const [id, plugin] of Object.entries(plugins()) as [ProviderId, ProviderPlugin][]) {
    const settings = providerSettings(env, plugin.manifest);
    if (settings) out[id] = plugin.createAdapter(settings, { timeoutMs: env.PROVIDER_TIMEOUT_MS });
  }
  return out;
}

/**
 * The activities' dependencies as a worker's configuration describes them: adapters of the enabled providers, the
 * merchant webhook, the eligibility rules and the retry budgets (`policies`, the configured ones unless given).
 */
export function activityDepsFrom(config: WorkerConfig, policies: Policies = config.policies): ActivityDeps {
  const { env } = config;
  const webhook: WebhookConfig = {
    url: env.MERCHANT_WEBHOOK_URL,
    secret: env.MERCHANT_WEBHOOK_SECRET,
    timeoutMs: env.PROVIDER_TIMEOUT_MS,
  };
  const caps = { maxEvents: env.MERCHANT_BATCH_MAX_EVENTS, maxBytes: env.MERCHANT_BATCH_MAX_BYTES };
  return {
    providers: buildAdapters(env),
    hooks: createWebhookHooks(webhook),
    batchHooks: env.MERCHANT_DELIVERY === 'batched' ? createBatchWebhookHooks({ ...webhook, caps }) : undefined,
    eligibility: config.eligibility,
    policies,
  };
}
