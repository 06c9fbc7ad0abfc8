import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BulkOrder } from './bulk-input';
import type { BulkProgress } from './bulk-model';

/** A chunk of orders sent by the client; `seq` starts at 0 and makes a re-sent chunk harmless. */
export interface AddOrdersArgs {
  seq: number;
  orders: BulkOrder[];
}

/** done/total, by outcome, in flight, awaiting an operator. */
export const progressQuery = defineQuery<BulkProgress>('progress');
/** Hand the bulk its next chunk of orders; refused (retry later) while the run is full or draining. */
export const addOrdersUpdate = defineUpdate<{ accepted: number; duplicate: boolean }, [AddOrdersArgs]>('addOrders');
/** A child tells its bulk that it waits for (or stopped waiting for) an operator. */
export const childAwaitingSignal = defineSignal<[{ workflowId: string; awaiting: boolean }]>('childAwaitingOperator');
