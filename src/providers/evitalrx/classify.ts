import type { z } from 'zod';
import { ProviderAuthError, ProviderRejectedError, ProviderResponseError } from '../../contract/errors';
import { classifyCommonStatus, clip, tryParseJson, type HttpResponse } from '../http';
import type { ReasonCode } from '../types';
import { envelopeSchema, reasonsDataSchema, viewDataSchema, type Envelope, type RejectReason } from './schema';

const P = 'evitalrx';

/** Remove the credential from provider text before it goes into an error (a provider may echo it). */
export function scrub(text: string | undefined | null, secret: string): string | undefined {
  if (text == null) return undefined;
  return secret ? text.split(secret).join('[redacted]') : text;
}

function firstIssue(err: z.ZodError): string {
  const i = err.issues[0];
  return i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'invalid';
}

/** HTTP answer → envelope with status_code "1", or the typed error for everything else. */
export function classifyEnvelope(res: HttpResponse, what: string, secret: string): Envelope {
  const json = tryParseJson(res.text);
  const said = (json as { status_message?: unknown; message?: unknown } | undefined) ?? {};
  const raw = typeof said.status_message === 'string' ? said.status_message : said.message;
  const common = classifyCommonStatus(P, res, scrub(typeof raw === 'string' ? raw : undefined, secret));
  if (common) throw common;
  const base = { provider: P, status: res.status };
  if (res.status !== 200) {
    // eVitalRx documents only HTTP 200; anything else is not an answer we know how to read.
    throw new ProviderResponseError(`${P}: ${what}: unexpected HTTP ${res.status}`, base);
  }
  if (json === undefined) throw new ProviderResponseError(`${P}: ${what}: answer is not JSON`, base);
  const parsed = envelopeSchema.safeParse(json);
  if (!parsed.success) {
    throw new ProviderResponseError(`${P}: ${what}: unexpected answer shape (${firstIssue(parsed.error)})`, base);
  }
  const env = parsed.data;
  const msg = clip(scrub(env.status_message, secret));
  const details = { ...base, providerMessage: msg };
  switch (env.status_code) {
    case '1':
      return env;
    case '0':
      throw new ProviderRejectedError(`${P}: ${what} refused: ${msg ?? 'no reason given'}`, details);
    case '404':
      // The documented meaning of "404" is "Invalid API Key": a configuration problem.
      throw new ProviderAuthError(`${P}: ${what}: credentials refused: ${msg ?? 'status_code 404'}`, details);
    default:
      throw new ProviderResponseError(
        `${P}: ${what}: unknown status_code ${JSON.stringify(clip(env.status_code, 20))}`,
        details,
      );
  }
}

function parseData<T>(schema: z.ZodType<T>, env: Envelope, what: string): T {
  const parsed = schema.safeParse(env.data);
  if (!parsed.success) {
    throw new ProviderResponseError(`${P}: ${what}: unexpected data shape (${firstIssue(parsed.error)})`, {
      provider: P,
      status: 200,
    });
  }
  return parsed.data;
}

/** view_v2 envelope → the order's overall status. */
export function viewStatus(env: Envelope, what: string): string {
  return parseData(viewDataSchema, env, what).overall_status;
}

/** reject_reasons envelope → the list of reasons. */
export function rejectReasons(env: Envelope, what: string): RejectReason[] {
  return parseData(reasonsDataSchema, env, what).reasons;
}

// Which reason texts fit which code; deliberately narrow (a wrong match is worse than "Other").
const PATTERNS: Record<Exclude<ReasonCode, 'other'>, RegExp> = {
  customer_request:
    /\b(customer|patient|buyer)\b.*\b(request|asked|changed|no longer)|\brequested by (the )?(customer|patient)/i,
  fraud: /\b(fraud|fraudulent|suspicious|fake)\b/i,
  inventory: /\b(out of stock|stock|inventory|not available|unavailable)\b/i,
  payment_declined: /\bpayment\b/i,
  duplicate: /\bduplicate\b/i,
  staff: /\bstaff\b/i,
};
const OTHER = /^\s*others?\b/i;

/** Map every reason code onto a reason id: overrides first, then a text match, else `Other`; undefined if none. */
export function mapReasonIds(
  reasons: RejectReason[],
  overrides: Partial<Record<ReasonCode, number>> = {},
): Partial<Record<ReasonCode, number>> {
  const other = reasons.find((r) => OTHER.test(r.reason))?.id;
  const out: Partial<Record<ReasonCode, number>> = { other };
  for (const [code, re] of Object.entries(PATTERNS) as [ReasonCode, RegExp][]) {
    out[code] = reasons.find((r) => re.test(r.reason))?.id ?? other;
  }
  return { ...out, ...overrides };
}
