import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  workflowInfo,
  setWorkflowOptions,
} from '@temporalio/workflow';
import { versioned } from '../versioning';
import {
  addOrdersUpdate,
  childAwaitingSignal,
  childEndedSignal,
  abortBeforePivotSignal,
  type ChildOrderEnd,
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
  BULK_HELP,
} from '../../contract/lean';
import { setInternalSignalHandler } from '../shared/internal-messages';
import { BulkLedger } from './ledger';
import { ChildLauncher } from './children';
import { runSaga, type Saga } from '../shared/saga';

/** Defaults sized for one worker; see docs/bulk.md. */
export const BULK_DEFAULTS = {
  /** Ids per batch (batch providers): the adapter's limit (each batch's workflow, activities and tasks serve 100 orders). */
  batchSize: 100,
  /** Provider calls per batch workflow (a batch holds batchSize × callsPerBatch orders): fewer workflows, tasks, events. */
  callsPerBatch: 4,
  /** Children in flight: cancelOrder children (one order each)... */
  concurrency: 50,
  /** ...or batches, for a provider with the batch capability (8 × 4 × 100 = 3,200 orders in flight). */
  batchConcurrency: 8,
  historyThreshold: 4_000,
  /** A run drains its window before it continues as new: fewer, longer runs idle less (~2.6 MB of history each). */
  maxOrdersPerRun: 10_000,
  /** Orders waiting to be launched: more than one window of batches (8 × 400), so a window that frees at once refills. */
  bufferCapacity: 4_000,
};

/** The defaults before the 'bulk-defaults-v3' patch (one provider call per batch workflow). */
export const BULK_DEFAULTS_V2 = { ...BULK_DEFAULTS, callsPerBatch: 1, bufferCapacity: 2_000 };
/** The defaults before the 'bulk-defaults-v2' patch: runs started on earlier code keep them on replay. */
export const BULK_DEFAULTS_V1 = { ...BULK_DEFAULTS_V2, batchSize: 50, maxOrdersPerRun: 5_000 };
export const BULK_DEFAULTS_PATCH = 'bulk-defaults-v2';
export const BULK_DEFAULTS_V3_PATCH = 'bulk-defaults-v3';
/** Children waiting for an operator leave the window (and cross continue-as-new as `parked`). */
export const BULK_WINDOW_PATCH = 'bulk-window-excludes-waiting-v1';
/** Most children one run follows, waiting ones included (the server allows 2,000 pending children). */
export const MAX_CHILDREN_PER_RUN = 1_000;

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
  /** Waiting children leave the window; recorded once per run so replays decide the same. */
  private readonly parkWaiting: boolean;

  constructor(
    private readonly fields: BulkInputFields,
    private readonly carry: BulkCarry,
  ) {
    const concurrency = batchCapability(fields.provider) ? BULK_DEFAULTS.batchConcurrency : BULK_DEFAULTS.concurrency;
    // Each run decides once (its first activation); a run recorded before the patch replays with the old defaults.
    const defaults = patched(BULK_DEFAULTS_V3_PATCH)
      ? BULK_DEFAULTS
      : patched(BULK_DEFAULTS_PATCH)
        ? BULK_DEFAULTS_V2
        : BULK_DEFAULTS_V1;
    this.limits = {
      ...defaults,
      concurrency,
      ...dropUndefined({ batchSize: fields.batchSize, concurrency: fields.concurrency }),
      ...dropUndefined(fields.limits ?? {}),
    };
    this.parkWaiting = patched(BULK_WINDOW_PATCH);
    this.ledger = new BulkLedger(carry, fields.provider, fields.bulkId);
    this.children = new ChildLauncher(fields, this.ledger, () => this.render());
    setHandler(progressQuery, () => this.progress(), { description: BULK_HELP.progress });
    setHandler(abortSignal, (args) => this.requestAbort(args), { description: BULK_HELP.abort });
    setHandler(addOrdersUpdate, (args) => this.addOrders(args), {
      description: BULK_HELP.addOrders,
      validator: (args) => this.validateChunk(args),
    });
    // Internal (children → bulk), after every handler by name (see internal-messages.ts).
    setInternalSignalHandler(childAwaitingSignal, (a) => this.children.setAwaiting(a.workflowId, a.awaiting));
    setInternalSignalHandler(childEndedSignal, (a) => this.parkedEnded(a.workflowId, a.results));
  }

  async run(): Promise<BulkResult> {
    this.render();
    for (;;) {
      await condition(() => this.canLaunch() || this.shouldDrain() || this.finished());
      if (this.finished()) return this.finish();
      if (this.shouldDrain()) {
        this.draining = true;
        this.render('draining before continue-as-new');
        await condition(() => this.atWork() === 0 && allHandlersFinished());
        if (this.finished()) return this.finish();
        if (this.parkWaiting) this.carry.parked = { ...this.carry.parked, ...this.children.parkWaiting() };
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
    for (const id of Object.keys(this.carry.parked ?? {})) {
      const reason = `bulk aborted: ${this.abort.reason}`;
      getExternalWorkflowHandle(id)
        .signal(abortBeforePivotSignal, { reason, by: this.abort.by ?? 'bulk' })
        .catch(() => undefined); // it may have ended meanwhile: its childEnded is on its way
    }
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
    const unit = this.limits.batchSize * this.limits.callsPerBatch;
    return n >= unit || flush ? Math.min(n, unit) : 0;
  }

  /** Children the window counts: all of them, or (patched) those not waiting for an operator. */
  private atWork(): number {
    return this.parkWaiting ? this.children.active : this.children.size;
  }

  /** A child that waited, then ended after this bulk continued as new: its outcomes count here. */
  private parkedEnded(workflowId: string, results: ChildOrderEnd[]): void {
    const parked = this.carry.parked;
    if (this.children.follows(workflowId) || !parked || !(workflowId in parked)) return; // followed here, or counted
    delete parked[workflowId];
    for (const r of results) this.ledger.record(r.orderId, r.outcome, r.message);
    this.render();
  }

  private parkedCount(): { children: number; orders: number } {
    const parked = Object.values(this.carry.parked ?? {});
    return { children: parked.length, orders: parked.reduce((a, b) => a + b, 0) };
  }

  private canLaunch(): boolean {
    return (
      !this.abort &&
      !this.draining &&
      this.atWork() < this.limits.concurrency &&
      (!this.parkWaiting || this.children.size < MAX_CHILDREN_PER_RUN) &&
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
    if (this.children.size > 0 || this.parkedCount().children > 0) return false;
    return this.abort !== undefined || (this.allReceived() && this.carry.buffer.length === 0);
  }

  private launchNext(): void {
    const orders = this.carry.buffer.splice(0, this.nextUnit());
    if (batchCapability(this.fields.provider)) {
      const callSize = this.limits.callsPerBatch > 1 ? this.limits.batchSize : undefined;
      this.children.launchBatch(orders, ++this.carry.batches, callSize);
    } else this.children.launchOrder(orders[0]);
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
    const parked = this.parkedCount();
    const awaiting = this.children.awaitingCount + parked.children;
    const p = this.ledger.progress(
      this.children.orders + parked.orders,
      this.children.size + parked.children,
      awaiting,
    );
    return { ...p, awaitingOperatorOrders: this.children.awaitingOrders + parked.orders };
  }

  private render(note?: string): void {
    this.ledger.render(this.progress(), note);
  }
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
