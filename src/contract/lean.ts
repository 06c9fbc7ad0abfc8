/**
 * The contract as workflow code imports it: everything of index.ts except the zod schemas (each workflow run would
 * build them again at module load). Eslint keeps src/workflows/** on this file; types of the zod modules come along
 * as types only.
 */
export * from './bulk-messages';
export * from './bulk-model';
export * from './errors';
export * from './events';
export * from './evidence';
export * from './ids';
export * from './messages';
export * from './metrics';
export * from './model';
export * from './plain-checks';
export * from './policies';
export * from './providers';
export * from './rules';
export * from './search-attributes';
export * from './workflows';
export type {
  BulkCancelInput,
  BulkInputFields,
  BulkLimits,
  BulkOrder,
  CheckedBulk,
  CheckedOrders,
  BatchInput,
  InvalidId,
  Snapshot,
} from './bulk-input';
export type { CancelOrderInput } from './input';
