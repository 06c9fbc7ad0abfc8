import { randomUUID } from 'node:crypto';
import {
  WorkflowIdConflictPolicy,
  WorkflowIdReusePolicy,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import { TypedSearchAttributes, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { ProviderId } from '../providers/types';
import {
  BULK_MAX,
  CHUNK_MAX,
  INLINE_MAX,
  bulkWorkflowId,
  checkBulkInput,
  checkOrders,
  describeInvalid,
  type BulkOrder,
  abortSignal,
  addOrdersUpdate,
  progressQuery,
  type BulkProgress,
  type BulkResult,
  CancelBulkId,
  CancelProvider,
  CancelState,
  BUSY,
  type BulkCancelInput,
  type BulkCancelOrdersWorkflow,
  WORKFLOW_TYPES,
} from '../contract';
import { bulkPriority, type Priority } from '../contract/priority';
import { InvalidInputError, withPriorityOverride } from './cancellation-client';
import { isUnreachable } from './unreachable';

export { readOrdersFile, OrdersFileError } from './orders-file';

export interface BulkClientOptions {
  client: Client;
  taskQueue: string;
  enabledProviders?: ProviderId[];
  /** Orders per `addOrders` update (default 1,000: ~70 KB at 64-character ids). */
  chunkSize?: number;
  /** Up to this many orders travel in the start request itself (default 1,000; 0 = always chunked). */
  inlineMax?: number;
  /** While feeding chunks, how long an unreachable server is waited for before `sent` rejects (default 10 minutes). */
  unreachableBudgetMs?: number;
}

/** What the caller gives: like the workflow input, with the bulk id optional and no size limit on the list. */
export type StartBulkInput = Omit<BulkCancelInput, 'carry' | 'total' | 'bulkId'> & { bulkId?: string };

/** Per-bulk options of `startBulkCancellation`. */
export interface StartBulkOptions {
  /**
   * Overrides the bulk default ({ priorityKey: 4, fairnessKey: bulkId }) field by field, for the parent and every
   * child it starts (children copy the parent's priorityKey and fairnessKey; the weight is inherited).
   */
  priority?: Priority;
}

export interface StartedBulk {
  workflowId: string;
  bulkId: string;
  handle: WorkflowHandle<BulkCancelOrdersWorkflow>;
  /** Distinct orders handed to the bulk. */
  total: number;
  duplicatesRemoved: number;
  duplicateSample: string[];
  /** Resolves once every chunk was accepted (the bulk paces it); rejects when a chunk is refused for good. */
  sent: Promise<void>;
}

/** Start and follow bulk cancellations; input is checked in full before anything starts. */
export class BulkClient {
  constructor(private readonly opts: BulkClientOptions) {}

  /** Validate (ids with their positions, duplicates dropped), start, and feed the orders in chunks. */
  async startBulkCancellation(raw: StartBulkInput, opts: StartBulkOptions = {}): Promise<StartedBulk> {
    const { orders, duplicates, fields } = this.validate(raw);
    const bulkId = fields.bulkId;
    const priority = withPriorityOverride(bulkPriority(bulkId), opts.priority);
    const workflowId = bulkWorkflowId(fields.provider, bulkId);
    const inline = orders.length <= Math.min(this.opts.inlineMax ?? INLINE_MAX, INLINE_MAX);
    const input: BulkCancelInput = { ...fields, ...(inline ? { orders } : { total: orders.length }) };
    let handle: WorkflowHandle<BulkCancelOrdersWorkflow>;
    try {
      handle = await this.opts.client.workflow.start<BulkCancelOrdersWorkflow>(WORKFLOW_TYPES.bulkCancelOrders, {
        taskQueue: this.opts.taskQueue,
        workflowId,
        // Starting the same bulk again while it runs attaches to it (and re-sends chunks harmlessly).
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        args: [input],
        priority,
        staticSummary: `Bulk cancel of ${orders.length} ${fields.provider} orders — ${fields.reason.code} (${bulkId})`,
        typedSearchAttributes: new TypedSearchAttributes([
          { key: CancelProvider, value: fields.provider },
          { key: CancelBulkId, value: bulkId },
          { key: CancelState, value: 'RUNNING' },
        ]),
      });
    } catch (err) {
      if (err instanceof WorkflowExecutionAlreadyStartedError) {
        throw new InvalidInputError(`bulkId: bulk ${bulkId} already ran (${workflowId}); choose another bulk id`);
      }
      throw err;
    }
    const sent = inline ? Promise.resolve() : this.feed(handle, orders);
    sent.catch(() => undefined); // the caller awaits `sent`; never an unhandled rejection meanwhile
    return {
      workflowId,
      bulkId,
      handle,
      total: orders.length,
      duplicatesRemoved: duplicates.count,
      duplicateSample: duplicates.sample,
      sent,
    };
  }

  /** The same checks the workflow makes, over the whole list; throws InvalidInputError naming positions. */
  validate(raw: StartBulkInput): {
    orders: BulkOrder[];
    duplicates: { count: number; sample: string[] };
    fields: BulkCancelInput & { bulkId: string };
  } {
    const list: unknown[] | undefined = raw.orders ?? raw.orderIds;
    if (!list || (raw.orders && raw.orderIds))
      throw new InvalidInputError('orders: give exactly one of orderIds or orders');
    if (list.length > BULK_MAX) throw new InvalidInputError(`orders: at most ${BULK_MAX} per bulk, got ${list.length}`);
    const checked = checkOrders(list);
    if (checked.invalid.count > 0) throw new InvalidInputError(`invalid bulk: ${describeInvalid(checked.invalid)}`);
    if (checked.orders.length === 0) throw new InvalidInputError('orders: no order to cancel');
    const { orderIds: _ids, orders: _orders, ...rest } = raw;
    const fields = { ...rest, bulkId: raw.bulkId ?? randomUUID() };
    const r = checkBulkInput({ ...fields, total: checked.orders.length });
    if (!r.ok) throw new InvalidInputError(`invalid bulk: ${r.error}`);
    const enabled = this.opts.enabledProviders;
    if (enabled && !enabled.includes(fields.provider)) {
      throw new InvalidInputError(`provider: ${fields.provider} is not enabled (its credentials are not configured)`);
    }
    return { orders: checked.orders, duplicates: checked.duplicates, fields };
  }

  /** Counts only (small at any size). */
  async getBulkProgress(workflowId: string): Promise<BulkProgress> {
    return this.opts.client.workflow.getHandle(workflowId).query(progressQuery);
  }

  async result(workflowId: string): Promise<BulkResult> {
    return this.opts.client.workflow.getHandle<BulkCancelOrdersWorkflow>(workflowId).result();
  }

  /** Stop launching; children still before their pivot abort, the others finish. */
  async abortBulk(workflowId: string, reason: string, by?: string): Promise<void> {
    await this.opts.client.workflow.getHandle(workflowId).signal(abortSignal, { reason, by });
  }

  /** Send the orders chunk by chunk; a BUSY refusal (the bulk is working) waits and sends the same chunk again. */
  private async feed(handle: WorkflowHandle, orders: BulkOrder[]): Promise<void> {
    const size = Math.min(this.opts.chunkSize ?? CHUNK_MAX, CHUNK_MAX);
    const budget = this.opts.unreachableBudgetMs ?? 10 * 60_000;
    for (let seq = 0; seq * size < orders.length; seq++) {
      const chunk = orders.slice(seq * size, (seq + 1) * size);
      let wait = 25;
      let failures = 0;
      let unreachableSince: number | undefined;
      for (;;) {
        try {
          await handle.executeUpdate(addOrdersUpdate, { args: [{ seq, orders: chunk }] });
          break;
        } catch (err) {
          const away = !(err instanceof WorkflowUpdateFailedError) && isUnreachable(err);
          if (err instanceof WorkflowUpdateFailedError) {
            const why = err.cause?.message ?? err.message;
            if (!why.startsWith(BUSY)) throw new InvalidInputError(`chunk ${seq} refused: ${why}`);
          } else if (away) {
            // The server is away: wait for it (re-sending the same seq is harmless), up to the budget.
            unreachableSince ??= Date.now();
            if (Date.now() - unreachableSince > budget) throw err;
          } else if (++failures > 20) {
            throw err; // e.g. the update raced a continue-as-new; re-sending the same seq is harmless
          }
          if (!away) unreachableSince = undefined;
          await new Promise((r) => setTimeout(r, wait));
          wait = away ? Math.min(Math.max(wait * 2, 1_000), 15_000) : Math.min(wait * 2, 400);
        }
      }
    }
  }
}
