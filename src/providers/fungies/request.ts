import { joinUrl, pathSegment, type HttpRequest } from '../http';

/** What building a Fungies request needs from the config. */
export interface FungiesTarget {
  baseUrl: string;
  publicKey: string;
  secretKey: string;
}

/** `PATCH {base}/v0/orders/{orderIdOrNumber}/cancel` with both keys and the documented `{}` body. */
export function buildCancelRequest(t: FungiesTarget, orderId: string): HttpRequest {
  return {
    method: 'PATCH',
    url: joinUrl(t.baseUrl, `/v0/orders/${pathSegment('fungies', orderId)}/cancel`),
    headers: {
      'x-fngs-public-key': t.publicKey,
      'x-fngs-secret-key': t.secretKey,
      'content-type': 'application/json',
    },
    body: '{}',
  };
}

/** `GET {base}/v0/orders/{orderIdOrNumber}` with the public key only: a read never carries the secret key. */
export function buildLookupRequest(t: FungiesTarget, orderId: string): HttpRequest {
  return {
    method: 'GET',
    url: joinUrl(t.baseUrl, `/v0/orders/${pathSegment('fungies', orderId)}`),
    headers: { 'x-fngs-public-key': t.publicKey },
  };
}
