import { joinUrl, type HttpRequest } from '../http';

/** How request fields are encoded: the docs do not say, so JSON by default and form encoding as an option. */
export type BodyEncoding = 'json' | 'form';

/** The endpoints used, all under `{base}fulfillment/orders/`. */
export type EvitalrxEndpoint = 'cancel_order_v2' | 'view_v2' | 'reject_reasons';

/** Body fields; undefined ones are left out. */
export type Fields = Record<string, string | number | undefined>;

/** Build one eVitalRx POST (every eVitalRx call is a POST with the api key in the body). */
export function buildRequest(
  baseUrl: string,
  endpoint: EvitalrxEndpoint,
  fields: Fields,
  encoding: BodyEncoding,
): HttpRequest {
  const url = joinUrl(baseUrl, `/fulfillment/orders/${endpoint}`);
  const present = Object.entries(fields).filter((e): e is [string, string | number] => e[1] !== undefined);
  if (encoding === 'form') {
    // Form values are text: reason_id travels as its decimal digits.
    const body = new URLSearchParams(present.map(([k, v]): [string, string] => [k, String(v)])).toString();
    return { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body };
  }
  return {
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(Object.fromEntries(present)),
  };
}

/** Fields of cancel_order_v2; the free-text reason is sent only when there is one. */
export function cancelFields(apiKey: string, orderId: string, reasonId: number, note?: string): Fields {
  return { apikey: apiKey, order_id: orderId, reason_id: reasonId, reason: note?.trim() ? note : undefined };
}

/** Fields of view_v2. */
export function viewFields(apiKey: string, orderId: string): Fields {
  return { apikey: apiKey, order_id: orderId };
}

/** Fields of reject_reasons. */
export function reasonsFields(apiKey: string, source: 'pickup' | 'delivery'): Fields {
  return { apikey: apiKey, reason_source: source };
}
