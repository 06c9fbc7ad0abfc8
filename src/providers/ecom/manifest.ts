import { defineManifest, STANDARD_RETRY } from '../manifest';

/** Ecom chat integration: a cancel intent in a chat envelope; no lookup. */
export const manifest = defineManifest({
  id: 'ecom',
  displayName: 'Ecom',
  summary: 'chat integration: a cancel intent in the chat envelope, no lookup',
  capabilities: { lookup: false },
  retry: { ...STANDARD_RETRY, maximumAttempts: 4 },
  config: [
    { env: 'ECOM_BASE_URL', key: 'baseUrl', kind: 'url', required: true, description: 'API base' },
    {
      env: 'ECOM_AUTH_HEADER',
      key: 'authHeader',
      kind: 'header',
      secret: true,
      required: true,
      description: 'a whole header, e.g. `Authorization: Bearer x`',
    },
    { env: 'ECOM_CHANNEL', key: 'channel', kind: 'text', default: 'api', description: "the envelope's channel" },
  ],
  eligibility: { cancellable: ['pending', 'confirmed', 'processing'], cancelled: ['cancelled'] },
  reasons: { note: 'none sent (the envelope has no field for one)' },
});
