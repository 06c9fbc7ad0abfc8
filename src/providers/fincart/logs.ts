import { z } from 'zod';
import { ProviderRejectedError, ProviderResponseError } from '../../contract/errors';
import {
  classifyCommonStatus,
  clip,
  joinUrl,
  pathSegment,
  tryParseJson,
  type HttpRequest,
  type HttpResponse,
} from '../http';
import type { OrderLookup } from '../types';
import { scrub } from './classify';
import { errorSchema } from './schema';

const P = 'fincart';

/** Fincart's order logs (`GET v4/orders/{order_id}/logs`): its only documented way to read an order back. */
export function buildLogsRequest(baseUrl: string, token: string, orderId: string): HttpRequest {
  return {
    method: 'GET',
    url: joinUrl(baseUrl, `/v4/orders/${pathSegment(P, orderId)}/logs`),
    headers: { 'content-type': 'application/json', authorization: token },
  };
}

/** The documented 200 answer: `data.logs[]`, each a main status (`title`), sub-status, time and author. */
const logsSchema = z.object({
  data: z.object({
    logs: z.array(
      z.object({
        title: z.string(),
        description: z.string().optional(),
        createdAt: z.string(),
        by: z.string().optional(),
      }),
    ),
  }),
});

/**
 * Logs → the order's current main status (the newest entry's title, lower-cased: pending, processing, successful,
 * unsuccessful, cancelled). Entries are ordered by `createdAt`, not by their place in the list.
 */
export function classifyLogs(res: HttpResponse, orderId: string, secret: string): OrderLookup {
  const json = tryParseJson(res.text);
  const err = errorSchema.safeParse(json);
  const message = err.success ? [err.data.message].flat().join('; ') : undefined;
  const said = scrub(message, secret);
  const common = classifyCommonStatus(P, res, said);
  if (common) throw common;
  const base = { provider: P, status: res.status };
  if (res.status === 404 || (res.status >= 400 && res.status < 500)) {
    throw new ProviderRejectedError(`${P}: order logs of ${clip(orderId, 80)} refused (HTTP ${res.status})`, {
      ...base,
      providerMessage: clip(said),
    });
  }
  const ok = res.status === 200 ? logsSchema.safeParse(json) : undefined;
  if (!ok?.success) throw new ProviderResponseError(`${P}: order logs: unexpected answer (HTTP ${res.status})`, base);
  const newest = [...ok.data.data.logs].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))[0];
  if (!newest) throw new ProviderResponseError(`${P}: order logs of ${clip(orderId, 80)} are empty`, base);
  return { orderId, status: newest.title.trim().toLowerCase() };
}
