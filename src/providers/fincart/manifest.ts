import { defineManifest, STANDARD_RETRY } from '../manifest';

/** Fincart (logistics): bulk cancel only, all-or-nothing, no lookup; its order logs read an order back. */
export const manifest = defineManifest({
  id: 'fincart',
  displayName: 'Fincart',
  summary:
    'logistics: `POST /v4/orders/cancel` with many ids (all-or-nothing refusal), no lookup; order logs as read-back',
  capabilities: { lookup: false, readBack: true, batchCancel: { maxIdsPerCall: 100, reportsFailedIds: false } },
  retry: STANDARD_RETRY,
  config: [
    {
      env: 'FINCART_BASE_URL',
      key: 'baseUrl',
      kind: 'url',
      default: 'https://api.fincart.io',
      description: 'API base',
    },
    {
      env: 'FINCART_TOKEN',
      key: 'token',
      kind: 'text',
      secret: true,
      required: true,
      description: 'the raw merchant token (sent without `Bearer`)',
    },
  ],
  eligibility: { cancellable: ['pending'], cancelled: ['cancelled'] },
  reasons: { note: 'none sent (the bulk cancel takes no reason)' },
  contractNames: [
    {
      name: 'cancelFincartBatch',
      reason:
        'workflow type of every batch child (contract: histories, visibility queries); Fincart was its first user',
    },
  ],
});
