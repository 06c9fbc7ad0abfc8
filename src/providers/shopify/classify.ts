import {
  ProviderAuthError,
  ProviderConfigError,
  ProviderRejectedError,
  ProviderResponseError,
  ProviderTransientError,
  type ProviderError,
} from '../../contract/errors';
import { classifyCommonStatus, tryParseJson, type HttpResponse } from '../http';
import { say, type ClassifyContext } from '../redact';
import type { CancelResult, OrderLookup } from '../types';
import {
  cancelDataSchema,
  envelopeSchema,
  jobDataSchema,
  lookupDataSchema,
  paidFromFinancialStatus,
  statusOf,
  type Envelope,
  type GraphqlError,
  type UserError,
} from './schema';
import { throttleDelayMs } from './throttle';
import type { CancelPending } from './types';

const P = 'shopify';

export type { ClassifyContext };

/** The envelope of a 2xx answer, or the typed error of the request as a whole (its HTTP status, its shape). */
function envelope(res: HttpResponse, ctx: ClassifyContext, what: string): Envelope {
  const json = tryParseJson(res.text);
  const env = envelopeSchema.safeParse(json);
  const errors = env.success ? env.data.errors : undefined;
  const message = say(ctx, typeof errors === 'string' ? errors : errors?.[0]?.message);
  const details = { provider: P, status: res.status, providerMessage: message };
  const detail = message ? `: ${message}` : '';
  const common = classifyCommonStatus(P, res, message);
  if (common) throw common;
  if (res.status === 402) {
    throw new ProviderAuthError(`${P}: the shop is frozen or unpaid (HTTP 402)${detail}`, details);
  }
  if (res.status === 404) {
    // The one endpoint is missing: a wrong shop URL or API version, never a missing order (that is data.order null).
    throw new ProviderConfigError(
      `${P}: no GraphQL endpoint there (HTTP 404): check the base URL and API version`,
      details,
    );
  }
  if (res.status < 200 || res.status >= 300) {
    throw new ProviderResponseError(
      `${P}: ${what} order ${ctx.orderId}: unexpected HTTP ${res.status}${detail}`,
      details,
    );
  }
  if (env.success) return env.data;
  const why = json === undefined ? 'is not JSON' : 'does not match the GraphQL envelope {data, errors}';
  throw new ProviderResponseError(`${P}: answer for order ${ctx.orderId} (HTTP ${res.status}) ${why}`, details);
}

/** Top-level GraphQL errors at HTTP 200 → the typed error (THROTTLED waits as the bucket says). */
function topLevelFailure(env: Envelope, ctx: ClassifyContext, what: string, status: number): ProviderError {
  const errors: GraphqlError[] = typeof env.errors === 'string' ? [{ message: env.errors }] : (env.errors ?? []);
  const codes = errors.map((e) => e.extensions?.code).filter((c): c is string => !!c);
  const message = say(
    ctx,
    errors
      .map((e) => e.message)
      .filter(Boolean)
      .join('; '),
  );
  const details = { provider: P, status, providerMessage: message };
  const detail = `${codes.length ? ` (${codes.join(', ')})` : ''}${message ? `: ${message}` : ''}`;
  if (codes.includes('THROTTLED')) {
    const inError = errors.find((e) => typeof e.extensions?.cost === 'object')?.extensions?.cost;
    const cost = env.extensions?.cost ?? (typeof inError === 'object' ? inError : undefined);
    return new ProviderTransientError(`${P}: ${what} order ${ctx.orderId}: throttled by query cost${detail}`, {
      ...details,
      retryAfterMs: throttleDelayMs(cost),
    });
  }
  if (codes.includes('ACCESS_DENIED') || codes.includes('SHOP_INACTIVE')) {
    return new ProviderAuthError(`${P}: ${what} order ${ctx.orderId}: access refused${detail}`, details);
  }
  if (codes.includes('INTERNAL_SERVER_ERROR')) {
    return new ProviderTransientError(`${P}: ${what} order ${ctx.orderId}: Shopify internal error${detail}`, details);
  }
  return new ProviderResponseError(`${P}: ${what} order ${ctx.orderId}: GraphQL errors${detail}`, details);
}

/** `data` parsed by `schema`, or the error the answer stands for (its top-level errors, else its shape). */
function payload<T>(
  env: Envelope,
  ctx: ClassifyContext,
  what: string,
  status: number,
  parse: (data: unknown) => { success: true; data: T } | { success: false },
  present: (data: T) => boolean,
): T | undefined {
  const data = parse(env.data);
  // A payload that is there is the answer, whatever else `errors` reports (a mutation that ran must not be retried).
  if (data.success && present(data.data)) return data.data;
  if (env.errors !== undefined && env.errors.length > 0) throw topLevelFailure(env, ctx, what, status);
  if (data.success) return undefined;
  throw new ProviderResponseError(
    `${P}: ${what} order ${ctx.orderId}: answer (HTTP ${status}) does not match the documented data`,
    { provider: P, status },
  );
}

/** Lookup answer → the status the eligibility rules judge (CANCELLED, or the fulfilment status) and paid. */
export function classifyLookup(res: HttpResponse, ctx: ClassifyContext): OrderLookup {
  const env = envelope(res, ctx, 'look up');
  const data = payload(
    env,
    ctx,
    'look up',
    res.status,
    (d) => lookupDataSchema.safeParse(d),
    (d) => d.order !== null,
  );
  if (!data?.order) {
    throw new ProviderRejectedError(`${P}: look up order ${ctx.orderId}: not found`, {
      provider: P,
      status: res.status,
    });
  }
  const o = data.order;
  return { orderId: ctx.orderId, status: statusOf(o), paid: paidFromFinancialStatus(o.displayFinancialStatus) };
}

/** A refusal whose cause only the order itself can tell (already cancelled, or not cancellable). */
export interface Refusal {
  refusal: ProviderRejectedError;
}

const AUTH_CODES = ['NO_REFUND_PERMISSION', 'NO_REFUND_TO_STORE_CREDIT_PERMISSION'];

/** `orderCancelUserErrors` → auth (missing permission), transient (internal), rejected, or a refusal to confirm. */
function userErrorsFailure(errors: UserError[], ctx: ClassifyContext, status: number): ProviderError | Refusal {
  const codes = errors.map((e) => e.code).filter((c): c is string => !!c);
  const message = say(ctx, errors.map((e) => e.message).join('; '));
  const details = { provider: P, status, providerMessage: message };
  const detail = `${codes.length ? ` (${codes.join(', ')})` : ''}${message ? `: ${message}` : ''}`;
  if (codes.some((c) => AUTH_CODES.includes(c))) {
    return new ProviderAuthError(`${P}: cancel order ${ctx.orderId}: permission missing${detail}`, details);
  }
  if (codes.includes('INTERNAL_ERROR')) {
    return new ProviderTransientError(`${P}: cancel order ${ctx.orderId}: Shopify internal error${detail}`, details);
  }
  const refusal = new ProviderRejectedError(`${P}: cancel order ${ctx.orderId}: refused${detail}`, details);
  // No code says "already cancelled": except for an unknown order, the order's own state decides (never the text).
  return codes.includes('NOT_FOUND') ? refusal : { refusal };
}

/** Mutation answer → PENDING with the job id, a refusal to confirm by lookup, or the typed error. */
export function classifyCancel(res: HttpResponse, ctx: ClassifyContext): CancelPending | Refusal {
  const env = envelope(res, ctx, 'cancel');
  const parse = (d: unknown) => cancelDataSchema.safeParse(d);
  const data = payload(env, ctx, 'cancel', res.status, parse, (d) => d.orderCancel !== null);
  const answer = data?.orderCancel;
  if (answer && answer.orderCancelUserErrors.length > 0) {
    const failure = userErrorsFailure(answer.orderCancelUserErrors, ctx, res.status);
    if ('refusal' in failure) return failure;
    throw failure;
  }
  if (answer?.job) return { orderId: ctx.orderId, status: 'PENDING', jobId: answer.job.id };
  throw new ProviderResponseError(`${P}: cancel order ${ctx.orderId}: answer has neither a job nor user errors`, {
    provider: P,
    status: res.status,
  });
}

/**
 * Job poll answer → the job itself while it runs, CANCELLED once done with the order cancelled, a Rejected throw when
 * done without it, or 'unknown' (no such job, or the order was not read): then the order itself decides.
 */
export function classifyJob(
  res: HttpResponse,
  ctx: ClassifyContext,
  pending: CancelPending,
): CancelResult | CancelPending | 'unknown' {
  const what = 'poll the cancel job of';
  const env = envelope(res, ctx, what);
  const job = payload(
    env,
    ctx,
    what,
    res.status,
    (d) => jobDataSchema.safeParse(d),
    (d) => d.job !== null,
  )?.job;
  if (!job) return 'unknown';
  if (!job.done) return pending;
  const order = job.query?.order;
  if (order === undefined) return 'unknown';
  if (order?.cancelledAt) return { orderId: ctx.orderId, status: 'CANCELLED' };
  throw new ProviderRejectedError(
    `${P}: cancel order ${ctx.orderId}: job ${pending.jobId} finished but the order is ${order ? 'not cancelled' : 'gone'}`,
    { provider: P, status: res.status },
  );
}
