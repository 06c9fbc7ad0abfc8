/** The bulk workflows (registered with one line in ./index.ts). */
export { bulkCancelOrders } from './bulk-cancel-orders';
export { cancelFincartBatch } from './fincart-batch';
