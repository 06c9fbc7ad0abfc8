import { defineManifest, STANDARD_RETRY } from '../manifest';

/** Fungies (digital goods): cancel by PATCH, lookup by GET; documents 429 rate limiting. */
export const manifest = defineManifest({
  id: 'fungies',
  displayName: 'Fungies',
  summary: 'digital goods: `PATCH /v0/orders/{id}/cancel`, `GET /v0/orders/{id}` lookup; errors may come with HTTP 200',
  capabilities: { lookup: true },
  // Fungies documents 429 rate limiting, so it gets a longer budget.
  retry: { ...STANDARD_RETRY, maximumAttempts: 8 },
  config: [
    {
      env: 'FUNGIES_BASE_URL',
      key: 'baseUrl',
      kind: 'url',
      default: 'https://api.fungies.io',
      description: 'API base',
    },
    {
      env: 'FUNGIES_PUBLIC_KEY',
      key: 'publicKey',
      kind: 'text',
      secret: true,
      required: true,
      description: 'public key (every call)',
    },
    {
      env: 'FUNGIES_SECRET_KEY',
      key: 'secretKey',
      kind: 'text',
      secret: true,
      required: true,
      description: 'secret key (writes)',
    },
  ],
  eligibility: { cancellable: ['PENDING', 'UNPAID', 'PAID'], cancelled: ['CANCELLED'] },
  reasons: { note: 'none sent (the cancel takes no reason)' },
});
