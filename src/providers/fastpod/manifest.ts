import { defineManifest, STANDARD_RETRY } from '../manifest';

/** FastPOD (print on demand): cancel by POST, order lookup by GET. */
export const manifest = defineManifest({
  id: 'fastpod',
  displayName: 'FastPOD',
  summary: 'print on demand: `POST /v1/orders/{id}/cancel`, `GET /v1/orders/{id}` lookup',
  capabilities: { lookup: true },
  retry: STANDARD_RETRY,
  config: [
    {
      env: 'FASTPOD_BASE_URL',
      key: 'baseUrl',
      kind: 'url',
      default: 'https://api-v2.fastpod.net',
      description: 'API base',
    },
    { env: 'FASTPOD_TOKEN', key: 'token', kind: 'text', secret: true, required: true, description: 'API token' },
  ],
  eligibility: { cancellable: ['draft', 'new_order', 'on_hold'], cancelled: ['cancelled'] },
  reasons: { note: 'none sent (the cancel takes no reason)' },
});
