/** Every workflow of the worker's bundle. */
export { cancelOrder } from './cancel-order';
export { bulkCancelOrders, cancelFincartBatch } from './bulk';
