/** Workflow ids of bulks start with this; their batches add `:batch:{n}`. */
export const BULK_ID_PREFIX = 'bulk-cancel:';

/** The workflow id of one cancellation: one running cancellation per order. */
export function cancelWorkflowId(provider: string, orderId: string): string {
  return `cancel:${provider}:${orderId}`;
}

/** The workflow id of a bulk. */
export function bulkWorkflowId(provider: string, bulkId: string): string {
  return `${BULK_ID_PREFIX}${provider}:${bulkId}`;
}

/** Workflow id of the n-th batch of a bulk (providers with the batch capability). */
export function batchWorkflowId(provider: string, bulkId: string, n: number): string {
  return `${BULK_ID_PREFIX}${provider}:${bulkId}:batch:${n}`;
}

/**
 * Idempotency key of one step: unique per run of a workflow id (a new start after FAILED/ABORTED is a new run) and
 * stable across retries of the step (the first execution run id survives retries and continue-as-new).
 */
export function idempotencyKey(workflowId: string, firstRunId: string, step: string): string {
  return `${workflowId}/${firstRunId}/${step}`;
}
