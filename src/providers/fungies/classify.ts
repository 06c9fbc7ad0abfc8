import { ProviderRejectedError, ProviderResponseError, type ProviderError } from '../../contract/errors';
import { classifyCommonStatus, tryParseJson, type HttpResponse } from '../http';
import { say, type ClassifyContext } from '../redact';
import type { CancelResult, OrderLookup } from '../types';
import { errorSchema, okSchema, paidFromStatus } from './schema';

const P = 'fungies';

export type { ClassifyContext };

/**
 * Everything that is not a success, whatever the HTTP status: common statuses first, then any
 * `{status:"error"}` body (also at 200, the documented quirk), then other 4xx, then the unexpected.
 */
function failure(res: HttpResponse, ctx: ClassifyContext, what: string): ProviderError | undefined {
  const body = errorSchema.safeParse(tryParseJson(res.text));
  const message = body.success ? say(ctx, body.data.error?.message) : undefined;
  const common = classifyCommonStatus(P, res, message);
  if (common) return common;
  const detail = message ? `: ${message}` : '';
  const details = { provider: P, status: res.status, providerMessage: message };
  const ok = res.status >= 200 && res.status < 300;
  if (ok && body.success) {
    return new ProviderRejectedError(
      `${P}: ${what} order ${ctx.orderId}: refused (error body with HTTP ${res.status})${detail}`,
      details,
    );
  }
  if (ok) return undefined;
  if (res.status < 400) {
    return new ProviderResponseError(`${P}: ${what} order ${ctx.orderId}: unexpected HTTP ${res.status}`, details);
  }
  const verb = res.status === 404 ? 'not found' : 'refused';
  return new ProviderRejectedError(
    `${P}: ${what} order ${ctx.orderId}: ${verb} (HTTP ${res.status})${detail}`,
    details,
  );
}

/** The success envelope's order, or a ProviderResponseError. */
function order(res: HttpResponse, ctx: ClassifyContext): { id: string; status: string } {
  const json = tryParseJson(res.text);
  const ok = okSchema.safeParse(json);
  if (ok.success) return ok.data.data.order;
  const why = json === undefined ? 'is not JSON' : 'does not match the documented {status:"success", data:{order}}';
  throw new ProviderResponseError(`${P}: answer for order ${ctx.orderId} (HTTP ${res.status}) ${why}`, {
    provider: P,
    status: res.status,
  });
}

/** Cancel answer → CANCELLED, or the typed error; a success must show the order CANCELLED. */
export function classifyCancel(res: HttpResponse, ctx: ClassifyContext): CancelResult {
  const err = failure(res, ctx, 'cancel');
  if (err) throw err;
  const o = order(res, ctx);
  if (o.status !== 'CANCELLED') {
    throw new ProviderResponseError(
      `${P}: cancel order ${ctx.orderId}: answered success but the order status is ${JSON.stringify(o.status)}`,
      { provider: P, status: res.status },
    );
  }
  // The success answer carries no message of its own, so there is nothing to quote.
  return { orderId: ctx.orderId, status: 'CANCELLED' };
}

/** Lookup answer → status as Fungies spells it, and whether money is held. */
export function classifyLookup(res: HttpResponse, ctx: ClassifyContext): OrderLookup {
  const err = failure(res, ctx, 'look up');
  if (err) throw err;
  const o = order(res, ctx);
  return { orderId: ctx.orderId, status: o.status, paid: paidFromStatus(o.status) };
}
