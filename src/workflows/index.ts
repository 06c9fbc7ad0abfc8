import type { BulkCancelOrdersWorkflow, CancelBatchWorkflow, CancelOrderWorkflow } from '../contract/lean';
import { bulkCancelOrders } from './bulk';
import { cancelOrder } from './cancel-order';
import { cancelFincartBatch } from './batch';

/** Every workflow of the worker's bundle; the contract's signatures are checked here. */
export { bulkCancelOrders, cancelFincartBatch, cancelOrder };

const _signatures: {
  cancelOrder: CancelOrderWorkflow;
  bulkCancelOrders: BulkCancelOrdersWorkflow;
  cancelFincartBatch: CancelBatchWorkflow;
} = { cancelOrder, bulkCancelOrders, cancelFincartBatch };
