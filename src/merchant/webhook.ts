import { createHmac } from 'node:crypto';
import type { Dispatcher } from 'undici';
import { headerSafe, send } from '../providers/http';
import { say } from '../providers/redact';
import { InvalidRequestError, ProviderError } from '../contract';
import type { MerchantEvent } from '../contract/events';
import {
  isRefusalStatus,
  MerchantRefusedError,
  MerchantTransientError,
  type HookCall,
  type MerchantHooks,
} from './port';

export interface WebhookConfig {
  url?: string;
  secret?: string;
  timeoutMs?: number;
  dispatcher?: Dispatcher;
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, as the receiver checks it. */
export function signBody(secret: string, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
}

/** Values a merchant's answer must never echo into errors: the signing secret and the URL's credentials. */
export function webhookSecrets(cfg: WebhookConfig): string[] {
  const out = cfg.secret ? [cfg.secret] : [];
  if (!cfg.url) return out;
  const url = URL.parse(cfg.url);
  if (!url) return out;
  // A query value may be a token too; short ones (v=1) are left alone so the rest of the message stays readable.
  const query = [...url.searchParams.values()].filter((v) => v.length >= 6);
  const parts = [url.username, url.password, ...query].filter(Boolean);
  return [...out, ...parts, ...parts.map(safeDecode)].sort((a, b) => b.length - a.length);
}

/** The event a call posts (per event: the body; batched: one item of `events`). */
export function eventOf(call: HookCall): MerchantEvent {
  return {
    id: call.key,
    type: call.type,
    occurredAt: call.occurredAt,
    workflowId: call.workflowId,
    provider: call.provider,
    orderId: call.orderId,
    data: call.data,
  };
}

/** Headers of a signed POST: JSON, the Idempotency-Key (Latin-1 safe) and, with a secret, the body's signature. */
export function signedHeaders(cfg: WebhookConfig, key: string, body: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    // Header values must be Latin-1: order ids in any script are percent-encoded (the event id keeps the raw key).
    'idempotency-key': headerSafe(key),
  };
  if (cfg.secret) headers['x-signature'] = signBody(cfg.secret, body);
  return headers;
}

/** The default merchant port: POST a signed JSON event per step; no URL → every step is skipped. */
export function createWebhookHooks(cfg: WebhookConfig): MerchantHooks {
  const secrets = webhookSecrets(cfg);
  return async (call: HookCall) => {
    if (!cfg.url) return 'skipped';
    const body = JSON.stringify(eventOf(call));
    const headers = signedHeaders(cfg, call.key, body);
    let status: number;
    let text: string;
    try {
      ({ status, text } = await send(
        'merchant',
        { method: 'POST', url: cfg.url, headers, body },
        { timeoutMs: cfg.timeoutMs ?? 10_000, dispatcher: cfg.dispatcher, maxBodyBytes: 64 * 1024 },
      ));
    } catch (err) {
      if (err instanceof InvalidRequestError) throw err;
      if (err instanceof ProviderError) throw new MerchantTransientError(`merchant webhook: ${err.message}`);
      throw err;
    }
    if (status >= 200 && status < 300) return 'done';
    const detail = say({ orderId: call.orderId, secrets }, text) ?? '';
    if (isRefusalStatus(status)) {
      throw new MerchantRefusedError(`merchant refused ${call.type} (HTTP ${status}): ${detail}`, status);
    }
    throw new MerchantTransientError(`merchant webhook answered HTTP ${status} for ${call.type}`);
  };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
