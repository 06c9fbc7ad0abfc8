import { joinUrl, pathSegment, type HttpRequest } from '../http';

/** What building a FastPOD request needs from the config. */
export interface FastpodTarget {
  baseUrl: string;
  token: string;
}

function headers(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}`, accept: 'application/json' };
}

/** `POST {base}/v1/orders/{id}/cancel`; the docs' sample sends no body, so neither do we. */
export function buildCancelRequest(t: FastpodTarget, orderId: string): HttpRequest {
  const url = joinUrl(t.baseUrl, `/v1/orders/${pathSegment('fastpod', orderId)}/cancel`);
  return { method: 'POST', url, headers: headers(t.token) };
}

/** `GET {base}/v1/orders/{id}`. */
export function buildLookupRequest(t: FastpodTarget, orderId: string): HttpRequest {
  const url = joinUrl(t.baseUrl, `/v1/orders/${pathSegment('fastpod', orderId)}`);
  return { method: 'GET', url, headers: headers(t.token) };
}
