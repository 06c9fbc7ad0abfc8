import {
  ChildWorkflowFailure,
  ParentClosePolicy,
  startChild,
  workflowInfo,
  type ChildWorkflowHandle,
  type Workflow,
} from '@temporalio/workflow';
import { TypedSearchAttributes, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  type BulkInputFields,
  type BulkOrder,
  batchWorkflowId,
  type BatchResult,
  cancelWorkflowId,
  abortBeforePivotSignal,
  type AbortArgs,
  type CancelOrderResult,
  CancelBulkId,
  CancelOrderId,
  CancelProvider,
  CancelState,
  providerDisplayName,
} from '../../contract/lean';
import { bulkChildPriority } from '../../contract/priority';
import type { BulkLedger } from './ledger';
import { cancelOrder } from '../cancel-order';
import { cancelFincartBatch } from '../batch';

interface Flight {
  orders: BulkOrder[];
  handle?: ChildWorkflowHandle<Workflow>;
}

/** Starts a bulk's children, follows them to their outcome and records it; tracks who waits for an operator. */
export class ChildLauncher {
  private readonly flights = new Map<string, Flight>();
  private readonly awaiting = new Set<string>();
  private abort?: AbortArgs;
  /** Orders in children that have not finished. */
  orders = 0;

  constructor(
    private readonly f: BulkInputFields,
    private readonly ledger: BulkLedger,
    private readonly changed: () => void,
  ) {}

  get size(): number {
    return this.flights.size;
  }

  get awaitingCount(): number {
    return this.awaiting.size;
  }

  /** Orders in children waiting for an operator. */
  get awaitingOrders(): number {
    let n = 0;
    for (const id of this.awaiting) n += this.flights.get(id)?.orders.length ?? 0;
    return n;
  }

  /** Children at work (not waiting for an operator): what the window counts. */
  get active(): number {
    return this.flights.size - this.awaiting.size;
  }

  /** Whether this run follows the child. */
  follows(workflowId: string): boolean {
    return this.flights.has(workflowId);
  }

  /** The waiting children with their order counts (handed to the next run, which they report their end to). */
  parkWaiting(): Record<string, number> {
    return Object.fromEntries([...this.awaiting].map((id) => [id, this.flights.get(id)?.orders.length ?? 0]));
  }

  setAwaiting(workflowId: string, awaiting: boolean): void {
    if (awaiting && this.flights.has(workflowId)) this.awaiting.add(workflowId);
    else this.awaiting.delete(workflowId);
    this.changed();
  }

  /** One cancelOrder per order, with the contract's id: a single cancel of the same order is never run twice. */
  launchOrder(o: BulkOrder): void {
    const { provider, reason, bulkId, requestedBy, options } = this.f;
    const id = cancelWorkflowId(provider, o.orderId);
    this.follow(
      id,
      [o],
      () =>
        startChild(cancelOrder, {
          workflowId: id,
          args: [{ provider, orderId: o.orderId, reason, snapshot: o.snapshot, requestedBy, options, bulkId }],
          staticSummary: `Bulk ${bulkId}: cancel ${provider} order ${o.orderId} — ${reason.code}`,
          typedSearchAttributes: this.attrs([{ key: CancelOrderId, value: o.orderId }], 'CHECKING_ELIGIBILITY'),
          parentClosePolicy: ParentClosePolicy.ABANDON,
          priority: this.priority(),
        }),
      (r: CancelOrderResult) => this.ledger.record(r.orderId, r.outcome, r.message),
    );
  }

  /** One batch child (a batch call per `callSize` ids, each bisected on refusal), for a provider with the batch capability. */
  launchBatch(orders: BulkOrder[], n: number, callSize?: number): void {
    const { provider, reason, bulkId, requestedBy, options } = this.f;
    const id = batchWorkflowId(provider, bulkId, n);
    this.follow(
      id,
      orders,
      () =>
        startChild(cancelFincartBatch, {
          workflowId: id,
          args: [
            { provider, bulkId, batchNo: n, orders, reason, requestedBy, options, ...(callSize ? { callSize } : {}) },
          ],
          staticSummary: `Bulk ${bulkId}: ${providerDisplayName(provider)} batch ${n} (${orders.length} orders) — ${reason.code}`,
          typedSearchAttributes: this.attrs([], 'CHECKING_ELIGIBILITY'),
          parentClosePolicy: ParentClosePolicy.ABANDON,
          priority: this.priority(),
        }),
      (r: BatchResult) => {
        const seen = new Set<string>();
        for (const x of r.results) {
          seen.add(x.orderId);
          this.ledger.record(x.orderId, x.outcome, x.message);
        }
        for (const o of orders)
          if (!seen.has(o.orderId)) this.ledger.record(o.orderId, 'FAILED', `batch ${n} returned no outcome`);
      },
    );
  }

  /** Stop what can still be stopped: children before their pivot abort, the others finish. */
  abortAll(args: AbortArgs): void {
    this.abort = args;
    for (const f of this.flights.values()) if (f.handle) this.signalAbort(f.handle);
  }

  private signalAbort(h: ChildWorkflowHandle<Workflow>): void {
    h.signal(abortBeforePivotSignal, {
      reason: `bulk aborted: ${this.abort?.reason}`,
      by: this.abort?.by ?? 'bulk',
    }).catch(() => {
      // The child may have finished in the meantime; nothing to stop.
    });
  }

  /** Behind interactive cancels, fair to other bulks: the parent's priority (a caller's override) or the bulk default. */
  private priority() {
    return bulkChildPriority(workflowInfo().priority, this.f.bulkId);
  }

  private attrs(extra: { key: typeof CancelOrderId; value: string }[], state: string): TypedSearchAttributes {
    return new TypedSearchAttributes([
      { key: CancelProvider, value: this.f.provider },
      { key: CancelBulkId, value: this.f.bulkId },
      { key: CancelState, value: state },
      ...extra,
    ]);
  }

  private follow<R>(
    id: string,
    orders: BulkOrder[],
    start: () => Promise<ChildWorkflowHandle<Workflow>>,
    done: (r: R) => void,
  ): void {
    const flight: Flight = { orders };
    this.flights.set(id, flight);
    this.orders += orders.length;
    void (async () => {
      try {
        const handle = await start();
        flight.handle = handle;
        if (this.abort) this.signalAbort(handle);
        done((await handle.result()) as R);
      } catch (err) {
        const already = err instanceof WorkflowExecutionAlreadyStartedError;
        const why = already
          ? `a cancellation of this order is already running as ${id}; it decides the outcome`
          : `child ${id} failed: ${err instanceof ChildWorkflowFailure ? (err.cause?.message ?? err.message) : (err as Error).message}`;
        for (const o of orders) this.ledger.record(o.orderId, already ? 'ALREADY_RUNNING' : 'FAILED', why);
      } finally {
        this.flights.delete(id);
        this.awaiting.delete(id);
        this.orders -= orders.length;
        this.changed();
      }
    })();
  }
}
