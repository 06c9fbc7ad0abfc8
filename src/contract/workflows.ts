import type { BulkCancelInput, BatchInput } from './bulk-input';
import type { BulkResult, BatchResult } from './bulk-model';
import type { CancelOrderInput } from './input';
import type { CancelOrderResult } from './model';

/** Workflow type names (what clients start, list and describe by). */
export const WORKFLOW_TYPES = {
  cancelOrder: 'cancelOrder',
  bulkCancelOrders: 'bulkCancelOrders',
  cancelFincartBatch: 'cancelFincartBatch',
} as const;

/** Signatures of the workflows: clients start them by name with these types, never importing workflow code. */
export type CancelOrderWorkflow = (input: CancelOrderInput) => Promise<CancelOrderResult>;
export type BulkCancelOrdersWorkflow = (input: BulkCancelInput) => Promise<BulkResult>;
export type CancelBatchWorkflow = (input: BatchInput) => Promise<BatchResult>;
