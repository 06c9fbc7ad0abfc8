import {
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
  setWorkflowOptions,
} from '@temporalio/workflow';
import { versioned } from '../versioning';
import {
  addOrdersUpdate,
  childAwaitingSignal,
  progressQuery,
  type AddOrdersArgs,
  CHUNK_MAX,
  plainCheckBulkInput,
  plainCheckOrders,
  describeInvalid,
  type BulkInputFields,
  type BulkCancelInput,
  type BulkCarry,
  BUSY,
  type BulkResult,
  abortSignal,
  batchCapability,
  type AbortArgs,
} from '../../contract/lean';
import { BulkLedger } from './ledger';
import { ChildLauncher } from './children';
import { runSaga, type Saga } from '../shared/saga';

/** Defaults sized for one worker; see docs/bulk.md. */
export const BULK_DEFAULTS = {
  /** Ids per batch (batch providers): the adapter's limit (each batch's workflow, activities and tasks serve 100 orders). */
  batchSize: 100,
  /** Children in flight: cancelOrder children (one order each)... */
  concurrency: 50,
  /** ...or batches, for a provider with the batch capability (8 × 100 = 800 orders in flight). */
  batchConcurrency: 8,
  historyThreshold: 4_000,
  /** A run drains its window before it continues as new: fewer, longer runs idle less (~2.6 MB of history each). */
  maxOrdersPerRun: 10_000,
  bufferCapacity: 2_000,
};

/** The defaults before the 'bulk-defaults-v2' patch: runs started on earlier code keep them on replay. */
export const BULK_DEFAULTS_V1 = { ...BULK_DEFAULTS, batchSize: 50, maxOrdersPerRun: 5_000 };
export const BULK_DEFAULTS_PATCH = 'bulk-defaults-v2';

/** Cancel many orders: children under a sliding window, continue-as-new before history grows. */
export async function bulkCancelOrders(raw: BulkCancelInput): Promise<BulkResult> {
  return runSaga('bulkCancelOrders', plainCheckBulkInput(raw), ({ fields, checked }) => {
    const carry: BulkCarry = raw.carry
      ? { ...raw.carry, run: raw.carry.run + 1 }
      : {
          run: 1,
          total: fields.total ?? checked.orders.length,
          received: fields.total === undefined ? checked.orders.length : 0,
          nextSeq: 0,
          buffer: checked.orders,
          done: 0,
          byOutcome: {},
          notCancelled: [],
          notCancelledOmitted: 0,
          batches: 0,
          duplicatesRemoved: checked.duplicates.count,
          runHistoryLengths: [],
          maxHistoryLength: 0,
        };
    return new BulkRun(fields, carry);
  });
}
// Auto-upgrade: it continues as new, so each run may move to the current build; children stay pinned.
setWorkflowOptions(versioned('AUTO_UPGRADE'), bulkCancelOrders);

class BulkRun implements Saga<BulkResult> {
  private readonly ledger: BulkLedger;
  private readonly children: ChildLauncher;
  private abort?: AbortArgs;
  private draining = false;
  private receivedThisRun = 0;
  private readonly limits: typeof BULK_DEFAULTS;

  constructor(
    private readonly fields: BulkInputFields,
    private readonly carry: BulkCarry,
  ) {
    const concurrency = batchCapability(fields.provider) ? BULK_DEFAULTS.batchConcurrency : BULK_DEFAULTS.concurrency;
    // Each run decides once (its first activation); a run recorded before the patch replays with the old defaults.
    const defaults = patched(BULK_DEFAULTS_PATCH) ? BULK_DEFAULTS : BULK_DEFAULTS_V1;
    this.limits = {
      ...defaults,
      concurrency,
      ...dropUndefined({ batchSize: fields.batchSize, concurrency: fields.concurrency }),
      ...dropUndefined(fields.limits ?? {}),
    };
    this.ledger = new BulkLedger(carry, fields.provider, fields.bulkId);
    this.children = new ChildLauncher(fields, this.ledger, () => this.render());
    setHandler(progressQuery, () => this.progress());
    setHandler(abortSignal, (args) => this.requestAbort(args));
    setHandler(childAwaitingSignal, (a) => this.children.setAwaiting(a.workflowId, a.awaiting));
    setHandler(addOrdersUpdate, (args) => this.addOrders(args), { validator: (args) => this.validateChunk(args) });
  }

  async run(): Promise<BulkResult> {
    this.render();
    for (;;) {
      await condition(() => this.canLaunch() || this.shouldDrain() || this.finished());
      if (this.finished()) return this.finish();
      if (this.shouldDrain()) {
        this.draining = true;
        this.render('draining before continue-as-new');
        await condition(() => this.children.size === 0 && allHandlersFinished());
        if (this.finished()) return this.finish();
        this.ledger.closeRun();
        const { orderIds: _ids, orders: _orders, ...rest } = this.fields;
        return continueAsNew<typeof bulkCancelOrders>({ ...rest, total: this.carry.total, carry: this.carry });
      }
      while (this.canLaunch()) this.launchNext();
      this.render();
    }
  }

  abortFromTemporal(): void {
    this.requestAbort({ reason: 'Temporal cancellation requested', by: 'temporal' });
  }

  requestAbort(args: AbortArgs): void {
    if (this.abort || this.ledger.state === 'DONE') return;
    this.abort = { reason: args?.reason || 'no reason given', by: args?.by };
    this.ledger.setState('ABORTING');
    this.children.abortAll(this.abort);
    this.render(`abort requested${this.abort.by ? ` by ${this.abort.by}` : ''}: ${this.abort.reason}`);
  }

  private allReceived(): boolean {
    return this.carry.received >= this.carry.total;
  }

  /** Orders ready for the next child: one, or a batch (a partial one only when no more orders come this run). */
  private nextUnit(): number {
    const n = this.carry.buffer.length;
    if (!batchCapability(this.fields.provider)) return Math.min(n, 1);
    const flush = this.allReceived() || this.receivedThisRun >= this.limits.maxOrdersPerRun;
    return n >= this.limits.batchSize || flush ? Math.min(n, this.limits.batchSize) : 0;
  }

  private canLaunch(): boolean {
    return (
      !this.abort &&
      !this.draining &&
      this.children.size < this.limits.concurrency &&
      this.nextUnit() > 0 &&
      !this.historyFull()
    );
  }

  private historyFull(): boolean {
    const info = workflowInfo();
    return info.historyLength >= this.limits.historyThreshold || info.continueAsNewSuggested;
  }

  private shouldDrain(): boolean {
    if (this.abort) return false;
    const runFull = this.receivedThisRun >= this.limits.maxOrdersPerRun && this.carry.buffer.length === 0;
    return !this.allReceived() || this.carry.buffer.length > 0 ? this.historyFull() || runFull : false;
  }

  private finished(): boolean {
    if (this.children.size > 0) return false;
    return this.abort !== undefined || (this.allReceived() && this.carry.buffer.length === 0);
  }

  private launchNext(): void {
    const orders = this.carry.buffer.splice(0, this.nextUnit());
    if (batchCapability(this.fields.provider)) this.children.launchBatch(orders, ++this.carry.batches);
    else this.children.launchOrder(orders[0]);
  }

  private async finish(): Promise<BulkResult> {
    await condition(allHandlersFinished);
    if (this.abort) {
      const left = this.carry.buffer.splice(0);
      for (const o of left)
        this.ledger.record(o.orderId, 'NOT_STARTED', `not started: bulk aborted (${this.abort.reason})`);
      const unsent = this.carry.total - this.carry.received;
      if (unsent > 0) {
        this.carry.byOutcome.NOT_STARTED = (this.carry.byOutcome.NOT_STARTED ?? 0) + unsent;
        this.carry.notCancelledOmitted += unsent;
      }
    }
    this.ledger.setState(this.abort ? 'ABORTED' : 'DONE');
    this.ledger.closeRun();
    this.render();
    return this.ledger.result(this.abort);
  }

  private validateChunk(args: AddOrdersArgs): void {
    if (!args || !Number.isInteger(args.seq) || !Array.isArray(args.orders))
      throw new Error('a chunk is { seq, orders[] }');
    if (args.seq < this.carry.nextSeq) return; // a re-sent chunk: accepted, changes nothing
    if (args.seq > this.carry.nextSeq)
      throw new Error(`out of order: expected chunk ${this.carry.nextSeq}, got ${args.seq}`);
    if (this.abort) throw new Error(`ABORTED: the bulk was aborted (${this.abort.reason}); no more orders are taken`);
    const n = args.orders.length;
    if (n === 0 || n > CHUNK_MAX) throw new Error(`a chunk holds 1 to ${CHUNK_MAX} orders, got ${n}`);
    if (this.carry.received + n > this.carry.total)
      throw new Error(`more orders than the ${this.carry.total} declared`);
    const checked = plainCheckOrders(args.orders, this.carry.received + 1);
    if (checked.invalid.count > 0) throw new Error(describeInvalid(checked.invalid));
    // Soft caps (a run may take one chunk past them), so any chunk size makes progress.
    if (
      this.draining ||
      this.receivedThisRun >= this.limits.maxOrdersPerRun ||
      this.carry.buffer.length >= this.limits.bufferCapacity
    ) {
      throw new Error(`${BUSY}: the bulk is working through earlier orders; send this chunk again shortly`);
    }
  }

  private addOrders(args: AddOrdersArgs): { accepted: number; duplicate: boolean } {
    if (args.seq < this.carry.nextSeq) return { accepted: 0, duplicate: true };
    const checked = plainCheckOrders(args.orders, this.carry.received + 1);
    this.carry.buffer.push(...checked.orders);
    this.carry.received += args.orders.length;
    this.carry.done += checked.duplicates.count; // a duplicate inside a chunk is dropped and counted as handled
    this.carry.duplicatesRemoved += checked.duplicates.count;
    this.receivedThisRun += args.orders.length;
    this.carry.nextSeq += 1;
    return { accepted: checked.orders.length, duplicate: false };
  }

  private progress() {
    return this.ledger.progress(this.children.orders, this.children.size, this.children.awaitingCount);
  }

  private render(note?: string): void {
    this.ledger.render(this.progress(), note);
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
