import { defineManifest, STANDARD_RETRY } from '../manifest';

/** eVitalRx (pharmacy fulfilment): cancel_order_v2, view_v2 lookup, reject reasons looked up and mapped. */
export const manifest = defineManifest({
  id: 'evitalrx',
  displayName: 'eVitalRx',
  summary: 'pharmacy fulfilment: `cancel_order_v2` (HTTP 200 with `status_code "0"` is a refusal), `view_v2` lookup',
  capabilities: { lookup: true },
  retry: STANDARD_RETRY,
  config: [
    {
      env: 'EVITALRX_BASE_URL',
      key: 'baseUrl',
      kind: 'url',
      default: 'https://api.evitalrx.in/v1/',
      description: 'API base; staging: `https://dev-api.evitalrx.in/v1/`',
    },
    { env: 'EVITALRX_API_KEY', key: 'apiKey', kind: 'text', secret: true, required: true, description: 'API key' },
    {
      env: 'EVITALRX_BODY_ENCODING',
      key: 'bodyEncoding',
      kind: 'enum',
      values: ['json', 'form'],
      default: 'json',
      description: '`form` for form encoding',
    },
    {
      env: 'EVITALRX_REASON_SOURCE',
      key: 'reasonSource',
      kind: 'enum',
      values: ['pickup', 'delivery'],
      default: 'pickup',
      description: 'which reject-reason list maps our reason codes',
    },
  ],
  eligibility: { cancellable: ['assigned', 'accepted'], cancelled: ['cancelled'] },
  reasons: { note: "a `reason_id` from the provider's reject-reason list, matched by text (else its 'Other')" },
});
