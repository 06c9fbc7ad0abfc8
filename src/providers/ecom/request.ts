import { InvalidRequestError, ProviderConfigError } from '../../contract/errors';
import { joinUrl, type HttpRequest } from '../http';

/** The configured auth header, split into name and value. */
export interface AuthHeader {
  name: string;
  value: string;
}

/** What building an Ecom request needs from the config. */
export interface EcomTarget {
  baseUrl: string;
  auth: AuthHeader;
  channel: string;
  languageCode: string;
}

/** Who we are in the chat envelope: `userInfo.uid` is required, and we are a service, not a chat user. */
export const SERVICE_UID = 'order-cancellation-orchestrator';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Headers undici or the body depend on: letting the auth header replace them would break the request.
const RESERVED = ['host', 'content-type', 'content-length', 'transfer-encoding', 'connection', 'accept'];

/** Parse `"Name: value"`; a malformed one is refused without echoing any of it (it is a credential). */
export function parseAuthHeader(raw: string): AuthHeader {
  const i = raw.indexOf(':');
  const name = i > 0 ? raw.slice(0, i).trim() : '';
  const value = i > 0 ? raw.slice(i + 1).trim() : '';
  const bad = (why: string): ProviderConfigError =>
    new ProviderConfigError(`ecom: authHeader must look like "Name: value" (${why}); the value is not shown`, {
      provider: 'ecom',
    });
  if (!HEADER_NAME.test(name)) throw bad('missing or invalid header name before the colon');
  if (RESERVED.includes(name.toLowerCase())) throw bad('that header name is reserved');
  if (value === '' || /\p{Cc}/u.test(value)) throw bad('empty value or control characters');
  return { name, value };
}

/** `POST {base}/api/rest/v1/ecom/integrations/cancelOrder` with the conversation envelope. */
export function buildCancelRequest(t: EcomTarget, orderId: string): HttpRequest {
  if (orderId.trim() === '') {
    throw new InvalidRequestError('ecom: order id must not be empty', { provider: 'ecom' });
  }
  const envelope = {
    conversationRequest: { channel: t.channel, userInfo: { uid: SERVICE_UID } },
    // The docs' table says `orderID`, their example `orderId`: we follow the example.
    queryInfo: { interestType: 'cancel-order', parameters: { params: { entityInfo: { orderId } } } },
    languageCode: t.languageCode,
  };
  return {
    method: 'POST',
    url: joinUrl(t.baseUrl, '/api/rest/v1/ecom/integrations/cancelOrder'),
    headers: { 'content-type': 'application/json', accept: 'application/json', [t.auth.name]: t.auth.value },
    body: JSON.stringify(envelope),
  };
}
