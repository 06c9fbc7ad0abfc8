import type { AsyncCancelCapability, BatchCancelCapability } from '../providers/manifest';
import { LEGACY_BATCH_PROVIDER, MANIFESTS, manifestOf, type ProviderId } from '../providers/registry';

export { LEGACY_BATCH_PROVIDER, type ProviderId };

/** Ids of the providers this orchestrator knows (the registry's, in its order; a tuple for z.enum). */
export const PROVIDER_IDS = MANIFESTS.map((m) => m.id) as unknown as readonly [ProviderId, ...ProviderId[]];

/** Reason codes accepted by the orchestrator (mapped per provider where the provider wants its own). */
export const REASON_CODES = [
  'customer_request',
  'fraud',
  'inventory',
  'payment_declined',
  'duplicate',
  'staff',
  'other',
] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface CancelReason {
  code: ReasonCode;
  note?: string;
}

/**
 * The activity task queue of one provider's calls (its lookup and its cancel), polled by every worker that has the
 * provider enabled and capped server-side per provider (`<PROVIDER>_MAX_CALLS_PER_SECOND`, `cancel-orders providers`).
 */
export function providerTaskQueue(taskQueue: string, provider: ProviderId): string {
  return `${taskQueue}-${provider}`;
}

/**
 * Providers whose adapter looks the order up: their eligibility step calls the provider, so it runs as a regular
 * activity on the provider's queue. The others judge the caller's snapshot locally (no provider call to cap).
 */
export const LOOKUP_PROVIDERS: readonly ProviderId[] = PROVIDER_IDS.filter((id) => canLookUp(id));

/** The provider's name as it spells it (messages, summaries). */
export function providerDisplayName(provider: ProviderId): string {
  return manifestOf(provider).displayName;
}

/** The provider's asynchronous cancel (capabilities.asyncCancel: a job to poll), or undefined: its cancel answers at once. */
export function asyncCancelOf(provider: ProviderId): AsyncCancelCapability | undefined {
  return manifestOf(provider).capabilities.asyncCancel;
}

/** Whether the provider documents an order lookup (capabilities.lookup). */
export function canLookUp(provider: ProviderId): boolean {
  return manifestOf(provider).capabilities.lookup;
}

/** The provider's batch cancel (capabilities.batchCancel), or undefined: its bulk orders get one child each. */
export function batchCapability(provider: ProviderId): BatchCancelCapability | undefined {
  return manifestOf(provider).capabilities.batchCancel;
}

/** Marker of the change that moved provider calls to their own task queue (histories before it replay unchanged). */
export const PROVIDER_TASK_QUEUES_PATCH = 'provider-task-queues';
