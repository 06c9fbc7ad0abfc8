import type { Outcome } from './model';
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
/** Internal (default handler, not in the UI's menu): a child tells its bulk it waits (or stopped waiting) for an operator. */
export const childAwaitingSignal = defineSignal<[{ workflowId: string; awaiting: boolean }]>('childAwaitingOperator');
/** One order's end as a child reports it to its bulk. */
export interface ChildOrderEnd {
  orderId: string;
  outcome: Outcome;
  message: string;
}
/**
 * Internal (default handler, not in the UI's menu): a child that waited for an operator tells its bulk how it ended;
 * the bulk may have continued as new while it waited (it left the window), and the new run learns the outcomes so.
 */
export const childEndedSignal = defineSignal<[{ workflowId: string; results: ChildOrderEnd[] }]>('childEnded');

/** What the Web UI shows under each message of bulkCancelOrders in its menus. */
export const BULK_HELP = {
  abort:
    'Stop the bulk: orders not started are skipped, orders before the provider cancel abort, the others finish. ' +
    'Input: {"reason": "why", "by": "you"}',
  addOrders: 'Not an operator action: the bulk client (cancel-orders bulk) hands over the next chunk of orders.',
  progress: 'done/total, by outcome, in flight, awaiting an operator.',
} as const satisfies Record<string, string>;
