import { ProviderRejectedError, ProviderResponseError, type ProviderError } from '../../contract/errors';
import { classifyCommonStatus, tryParseJson, type HttpResponse } from '../http';
import { say, type ClassifyContext } from '../redact';
import type { CancelResult, OrderLookup } from '../types';
import { cancelOkSchema, errorSchema, lookupSchema } from './schema';

const P = 'fastpod';

export type { ClassifyContext };

/** `message` plus the first few `errors` strings (Laravel puts the useful part there). */
function errorText(body: unknown): string | undefined {
  const parsed = errorSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const details: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') details.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(parsed.data.errors);
  const parts = [parsed.data.message, ...details.slice(0, 3)].filter((s): s is string => !!s);
  return parts.length ? parts.join(' ') : undefined;
}

/** Statuses every FastPOD call shares: common ones, then 4xx refusals, then anything unexpected. */
function failure(res: HttpResponse, ctx: ClassifyContext, what: string): ProviderError | undefined {
  const message = say(ctx, errorText(tryParseJson(res.text)));
  const common = classifyCommonStatus(P, res, message);
  if (common) return common;
  if (res.status >= 200 && res.status < 300) return undefined;
  const detail = message ? `: ${message}` : '';
  const details = { provider: P, status: res.status, providerMessage: message };
  if (res.status < 400) {
    return new ProviderResponseError(`${P}: ${what} order ${ctx.orderId}: unexpected HTTP ${res.status}`, details);
  }
  const verb = res.status === 404 ? 'not found' : 'refused';
  return new ProviderRejectedError(
    `${P}: ${what} order ${ctx.orderId}: ${verb} (HTTP ${res.status})${detail}`,
    details,
  );
}

function shapeError(res: HttpResponse, ctx: ClassifyContext, expected: string): ProviderResponseError {
  const why = tryParseJson(res.text) === undefined ? 'is not JSON' : `does not match ${expected}`;
  return new ProviderResponseError(`${P}: answer for order ${ctx.orderId} (HTTP ${res.status}) ${why}`, {
    provider: P,
    status: res.status,
  });
}

/** Cancel answer → CANCELLED, or the typed error (a 200 must show `order_status: "cancelled"`). */
export function classifyCancel(res: HttpResponse, ctx: ClassifyContext): CancelResult {
  const err = failure(res, ctx, 'cancel');
  if (err) throw err;
  const ok = cancelOkSchema.safeParse(tryParseJson(res.text));
  if (!ok.success) throw shapeError(res, ctx, 'the documented {status:true, data:{...order}}');
  if (ok.data.data.order_status !== 'cancelled') {
    throw new ProviderResponseError(
      `${P}: cancel order ${ctx.orderId}: answered success but order_status is ${JSON.stringify(ok.data.data.order_status)}`,
      { provider: P, status: res.status, providerMessage: say(ctx, ok.data.message) },
    );
  }
  return { orderId: ctx.orderId, status: 'CANCELLED', providerMessage: say(ctx, ok.data.message) };
}

/** Lookup answer → status as FastPOD spells it, `paid` from payment_status (paid/unpaid, else unknown). */
export function classifyLookup(res: HttpResponse, ctx: ClassifyContext): OrderLookup {
  const err = failure(res, ctx, 'look up');
  if (err) throw err;
  const ok = lookupSchema.safeParse(tryParseJson(res.text));
  if (!ok.success) throw shapeError(res, ctx, 'the documented order object');
  const pay = ok.data.payment_status?.toLowerCase();
  const paid = pay === 'paid' ? true : pay === 'unpaid' ? false : undefined;
  return { orderId: ctx.orderId, status: ok.data.order_status, paid };
}
