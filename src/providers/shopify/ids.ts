import { InvalidRequestError } from '../../contract/errors';

const P = 'shopify';
const ORDER_GID = /^gid:\/\/shopify\/Order\/([1-9][0-9]{0,19})$/;
const ORDER_NUMBER = /^[1-9][0-9]{0,19}$/;
const JOB_GID = /^gid:\/\/shopify\/Job\/[A-Za-z0-9-]{1,64}$/;

/**
 * The order's global id, from a plain number (`450789469`) or a global id (`gid://shopify/Order/450789469`).
 * Anything else is refused before any request (the id only ever travels in GraphQL variables, never in the URL).
 */
export function orderGid(orderId: string): string {
  if (ORDER_NUMBER.test(orderId)) return `gid://shopify/Order/${orderId}`;
  if (ORDER_GID.test(orderId)) return orderId;
  throw new InvalidRequestError(
    `${P}: orderId must be a number or gid://shopify/Order/<number>, got ${JSON.stringify(orderId.slice(0, 80))}`,
    { provider: P },
  );
}

/** The order's number (the last part of its global id). */
export function orderNumber(orderId: string): string {
  const gid = orderGid(orderId);
  return gid.slice(gid.lastIndexOf('/') + 1);
}

/** A job id as Shopify returns it (`gid://shopify/Job/<uuid>`); anything else is refused. */
export function checkJobGid(jobId: string): string {
  if (JOB_GID.test(jobId)) return jobId;
  throw new InvalidRequestError(
    `${P}: jobId must look like gid://shopify/Job/<id>, got ${JSON.stringify(jobId.slice(0, 80))}`,
    { provider: P },
  );
}
