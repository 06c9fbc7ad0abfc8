import { ProviderRejectedError, ProviderResponseError } from '../../contract/errors';
import { classifyCommonStatus, clip, tryParseJson, type HttpResponse } from '../http';
import type { CancelResult } from '../types';
import { cancelOkSchema, errorSchema, type FincartError } from './schema';

const P = 'fincart';

/** Remove the credential from provider text before it goes into an error (a provider may echo it). */
export function scrub(text: string | undefined, secret: string): string | undefined {
  if (text === undefined) return undefined;
  return secret ? text.split(secret).join('[redacted]') : text;
}

/** The provider's words from an error body: message plus the first distinct `errors` entry. */
function describe(body: FincartError): string {
  const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
  const first = body.errors?.find((e): e is string => typeof e === 'string' && e !== message);
  return first ? `${message} (${first})` : message;
}

/** Bulk-cancel answer → one CANCELLED result per id, or the typed error. The batch is all-or-nothing. */
export function classifyCancel(res: HttpResponse, orderIds: string[], secret: string): CancelResult[] {
  const json = tryParseJson(res.text);
  const err = errorSchema.safeParse(json);
  const said = err.success ? scrub(describe(err.data), secret) : undefined;
  const common = classifyCommonStatus(P, res, said);
  if (common) throw common;
  const what = `cancel of ${orderIds.length} order(s)`;
  const base = { provider: P, status: res.status };
  if (res.status === 200) {
    if (json === undefined) throw new ProviderResponseError(`${P}: ${what}: answer is not JSON`, base);
    const ok = cancelOkSchema.safeParse(json);
    if (!ok.success) throw new ProviderResponseError(`${P}: ${what}: unexpected answer shape`, base);
    const msg = clip(scrub(ok.data.data.msg ?? ok.data.message, secret));
    if (ok.data.data.status !== 'success') {
      // Never guess success: any other status means the batch was not confirmed.
      const detail = `data.status ${JSON.stringify(clip(ok.data.data.status, 40))}${msg ? `: ${msg}` : ''}`;
      throw new ProviderRejectedError(`${P}: ${what} not confirmed (${detail})`, { ...base, providerMessage: msg });
    }
    return orderIds.map((orderId) => ({ orderId, status: 'CANCELLED', providerMessage: msg }));
  }
  if (res.status >= 400 && res.status < 500 && said !== undefined) {
    // The answer does not say which id failed, so the whole batch is refused.
    const msg = clip(said);
    throw new ProviderRejectedError(`${P}: ${what} refused (HTTP ${res.status}): ${msg}`, {
      ...base,
      providerMessage: msg,
    });
  }
  const why = json === undefined ? 'answer is not JSON' : 'unexpected answer shape';
  throw new ProviderResponseError(`${P}: ${what}: unexpected HTTP ${res.status}, ${why}`, base);
}
