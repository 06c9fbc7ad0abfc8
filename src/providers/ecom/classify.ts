import { ProviderRejectedError, ProviderResponseError } from '../../contract/errors';
import { classifyCommonStatus, tryParseJson, type HttpResponse } from '../http';
import { say, type ClassifyContext } from '../redact';
import type { CancelResult } from '../types';
import { envelopeSchema, plainErrorSchema, responseText } from './schema';

const P = 'ecom';

export type { ClassifyContext };

/** The provider's words from an envelope, or from a plain `{message}` / `{error}` body. */
function wordsOf(json: unknown): string | undefined {
  const env = envelopeSchema.safeParse(json);
  if (env.success) return responseText(env.data);
  const plain = plainErrorSchema.safeParse(json);
  if (!plain.success) return undefined;
  const e = plain.data.error;
  return plain.data.message ?? (typeof e === 'string' ? e : e?.message);
}

/**
 * Cancel answer → CANCELLED or a typed error. Success is decided by status and shape only, never by the text:
 * a 2xx with a valid envelope is success, whatever it says (an already-cancelled order included).
 */
export function classifyCancel(res: HttpResponse, ctx: ClassifyContext): CancelResult {
  const json = tryParseJson(res.text);
  const message = say(ctx, wordsOf(json));
  const common = classifyCommonStatus(P, res, message);
  if (common) throw common;
  const details = { provider: P, status: res.status, providerMessage: message };
  if (res.status >= 200 && res.status < 300) {
    if (envelopeSchema.safeParse(json).success) {
      return { orderId: ctx.orderId, status: 'CANCELLED', providerMessage: message };
    }
    const why =
      json === undefined ? 'is not JSON' : 'does not match the documented {response:{responseType, responseMessages}}';
    throw new ProviderResponseError(`${P}: answer for order ${ctx.orderId} (HTTP ${res.status}) ${why}`, details);
  }
  const detail = message ? `: ${message}` : '';
  if (res.status >= 400) {
    throw new ProviderRejectedError(
      `${P}: cancel order ${ctx.orderId}: refused (HTTP ${res.status})${detail}`,
      details,
    );
  }
  throw new ProviderResponseError(`${P}: cancel order ${ctx.orderId}: unexpected HTTP ${res.status}`, details);
}
