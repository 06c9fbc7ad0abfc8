import { InvalidRequestError } from '../../contract/errors';
import { joinUrl, type HttpRequest } from '../http';

/** Check a batch before anything is sent: non-empty ids, at least one, at most `max`; duplicates dropped. */
export function checkBatch(provider: string, orderIds: string[], max: number): string[] {
  if (orderIds.some((id) => typeof id !== 'string' || id.trim() === '')) {
    throw new InvalidRequestError(`${provider}: every order id must be a non-empty string`, { provider });
  }
  const ids = [...new Set(orderIds)];
  if (ids.length === 0)
    throw new InvalidRequestError(`${provider}: a cancel batch needs at least one order id`, { provider });
  if (ids.length > max) {
    throw new InvalidRequestError(`${provider}: a cancel batch holds at most ${max} order ids, got ${ids.length}`, {
      provider,
    });
  }
  return ids;
}

/** Build the documented bulk cancel: raw token in Authorization (no `Bearer`), ids in the JSON body as given. */
export function buildCancelRequest(baseUrl: string, token: string, orderIds: string[]): HttpRequest {
  return {
    method: 'POST',
    url: joinUrl(baseUrl, '/v4/orders/cancel'),
    headers: { 'content-type': 'application/json', authorization: token },
    body: JSON.stringify({ filters: { ids: orderIds } }),
  };
}
