import { createEcomAdapter } from '../providers/ecom';
import { createEvitalrxAdapter } from '../providers/evitalrx';
import { createFastpodAdapter } from '../providers/fastpod';
import { createFincartAdapter } from '../providers/fincart';
import { createFungiesAdapter } from '../providers/fungies';
import type { ProviderAdapter, ProviderId } from '../providers/types';
import type { Env, WorkerConfig } from '../config';
import type { Policies } from '../contract';
import type { ActivityDeps } from '../activities';
import { createWebhookHooks } from '../merchant/webhook';

/** Adapters for the providers whose credentials are set; the others stay disabled. */
export function buildAdapters(env: Env): Partial<Record<ProviderId, ProviderAdapter>> {
  const timeoutMs = env.PROVIDER_TIMEOUT_MS;
  const out: Partial<Record<ProviderId, ProviderAdapter>> = {};
  if (env.EVITALRX_API_KEY) {
    out.evitalrx = createEvitalrxAdapter({
      baseUrl: env.EVITALRX_BASE_URL,
      apiKey: env.EVITALRX_API_KEY,
      bodyEncoding: env.EVITALRX_BODY_ENCODING,
      reasonSource: env.EVITALRX_REASON_SOURCE,
      timeoutMs,
    });
  }
  if (env.FINCART_TOKEN)
    out.fincart = createFincartAdapter({ baseUrl: env.FINCART_BASE_URL, token: env.FINCART_TOKEN, timeoutMs });
  if (env.FASTPOD_TOKEN)
    out.fastpod = createFastpodAdapter({ baseUrl: env.FASTPOD_BASE_URL, token: env.FASTPOD_TOKEN, timeoutMs });
  if (env.FUNGIES_PUBLIC_KEY && env.FUNGIES_SECRET_KEY) {
    out.fungies = createFungiesAdapter({
      baseUrl: env.FUNGIES_BASE_URL,
      publicKey: env.FUNGIES_PUBLIC_KEY,
      secretKey: env.FUNGIES_SECRET_KEY,
      timeoutMs,
    });
  }
  if (env.ECOM_BASE_URL && env.ECOM_AUTH_HEADER) {
    out.ecom = createEcomAdapter({
      baseUrl: env.ECOM_BASE_URL,
      authHeader: env.ECOM_AUTH_HEADER,
      channel: env.ECOM_CHANNEL,
      timeoutMs,
    });
  }
  return out;
}

/**
 * The activities' dependencies as a worker's configuration describes them: adapters of the enabled providers, the
 * merchant webhook, the eligibility rules and the retry budgets (`policies`, the configured ones unless given).
 */
export function activityDepsFrom(config: WorkerConfig, policies: Policies = config.policies): ActivityDeps {
  const { env } = config;
  return {
    providers: buildAdapters(env),
    hooks: createWebhookHooks({
      url: env.MERCHANT_WEBHOOK_URL,
      secret: env.MERCHANT_WEBHOOK_SECRET,
      timeoutMs: env.PROVIDER_TIMEOUT_MS,
    }),
    eligibility: config.eligibility,
    policies,
  };
}
