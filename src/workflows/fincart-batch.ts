import { CancellationScope, proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { MerchantEventType } from '../merchant/port';
import { acts, callOptions } from './activities';
import type { BulkOrder } from './bulk-input';
import type { BatchOrderResult, FincartBatchResult } from './bulk-model';
import { BatchTracker } from './fincart-batch-tracker';
import { durationMs, type CancelOrderInput } from './input';
import type { Outcome, StepError, StepName } from './model';
import { OperatorDesk } from './operator';
import { runStep } from './run-step';

export interface FincartBatchInput {
  bulkId: string;
  batchNo: number;
  orders: BulkOrder[];
  reason: CancelOrderInput['reason'];
  requestedBy?: string;
  options?: CancelOrderInput['options'];
}

/** Eligibility is pure computation for Fincart (no lookup): local activities keep it off the task queue. */
type Policies = Awaited<ReturnType<Activities['prepareCancellation']>>['policies'];

const local = proxyLocalActivities<Activities>({ startToCloseTimeout: '10s', retry: { maximumAttempts: 3 } });

const FALLBACK_MERCHANT = {
  maximumAttempts: 5,
  initialIntervalMs: 1000,
  maximumIntervalMs: 30_000,
  backoffCoefficient: 2,
};

type FinalStep = 'refund' | 'restock' | 'markCancelled';
const FINAL_EVENT: Record<FinalStep, MerchantEventType> = {
  refund: 'cancellation.refund_requested',
  restock: 'cancellation.restock_requested',
  markCancelled: 'cancellation.completed',
};
const OUTCOME_EVENT: Partial<Record<Outcome, MerchantEventType>> = {
  ALREADY_CANCELLED: 'cancellation.completed',
  NOT_ELIGIBLE: 'cancellation.not_eligible',
  ABORTED: 'cancellation.aborted',
  REJECTED: 'cancellation.rejected',
  FAILED: 'cancellation.rejected',
};

interface Entry {
  order: BulkOrder;
  /** The hold's undo is owed (registered before the hold runs). */
  holdOwed: boolean;
  held: boolean;
  paid?: boolean;
  pending: FinalStep[];
  result?: BatchOrderResult;
}

/** Cancel one batch of Fincart orders: eligibility, holds, ONE bulk call (bisected on refusal), finalize per order. */
export async function cancelFincartBatch(input: FincartBatchInput): Promise<FincartBatchResult> {
  const batch = new FincartBatch(input);
  CancellationScope.current().cancelRequested.catch(() => batch.desk.abortFromTemporal());
  return CancellationScope.nonCancellable(() => batch.run());
}

class FincartBatch {
  readonly tracker: BatchTracker;
  readonly desk: OperatorDesk;
  private pastPivot = false;
  private policies?: Policies;
  private readonly wfId = workflowInfo().workflowId;
  private readonly entries: Entry[];
  private readonly scopes = new Set<CancellationScope>();
  private notices = 0;

  constructor(private readonly input: FincartBatchInput) {
    this.entries = input.orders.map((order) => ({ order, holdOwed: false, held: false, pending: [] }));
    this.tracker = new BatchTracker(input.bulkId, input.batchNo, input.orders.length);
    this.desk = new OperatorDesk(this.tracker, () => this.pastPivot);
    // Abort before the pivot stops every hold still running.
    this.desk.cancelCurrentStep = () => this.scopes.forEach((s) => s.cancel());
  }

  /** The worker's merchant budget (a fixed fallback when no eligibility answer came back). */
  private get merchant() {
    return this.policies?.merchant ?? FALLBACK_MERCHANT;
  }

  private get timeoutMs(): number {
    return durationMs(this.input.options?.operatorTimeout ?? '72h');
  }

  async run(): Promise<FincartBatchResult> {
    await this.checkEligibility();
    await this.hold();
    const held = this.open().map((e) => e.order.orderId);
    if (held.length > 0 && !this.desk.abort) {
      this.tracker.enter('CANCELLING_AT_PROVIDER', `cancelling ${held.length} order(s) at fincart in one call`);
      await this.cancelSegment(held, 'all');
    }
    this.abortOpen('aborted before the provider cancel');
    this.pastPivot = true;
    await this.finalize();
    await this.close();
    const results = this.entries.map((e) => e.result as BatchOrderResult);
    this.tracker.done(
      results.every((r) => r.outcome === 'CANCELLED')
        ? 'CANCELLED'
        : (results.find((r) => r.outcome !== 'CANCELLED')?.outcome ?? 'CANCELLED'),
    );
    return { batchNo: this.input.batchNo, results };
  }

  /** Orders with no outcome yet. */
  private open(): Entry[] {
    return this.entries.filter((e) => !e.result);
  }

  private end(e: Entry, outcome: Outcome, message: string, providerCancelled = false): void {
    e.result = { orderId: e.order.orderId, outcome, message, providerCancelled };
    this.tracker.record(e.result);
  }

  private abortOpen(where: string): void {
    if (!this.desk.abort) return;
    const why = `${where}: ${this.desk.abort.reason}`;
    for (const e of this.open()) this.end(e, 'ABORTED', why);
  }

  /** CHECKING_ELIGIBILITY: the caller's snapshot, judged by the worker's rules (no snapshot: left to Fincart). */
  private async checkEligibility(): Promise<void> {
    // Without a snapshot there is nothing to judge (Fincart has no lookup): one call still brings the worker's budgets.
    const judged = this.entries.filter((e, i) => e.order.snapshot !== undefined || i === 0);
    const preps = await Promise.all(
      judged.map((e) =>
        local
          .prepareCancellation({ provider: 'fincart', orderId: e.order.orderId, snapshot: e.order.snapshot })
          .then((p) => ({ e, p }))
          .catch((err: Error) => ({ e, err })),
      ),
    );
    for (const r of preps) {
      if ('err' in r) {
        this.end(r.e, 'FAILED', `eligibility check failed: ${r.err.message}`);
        continue;
      }
      this.policies = r.p.policies;
      r.e.paid = r.p.paid;
      const seen = r.p.status ? `status ${r.p.status} (from ${r.p.source})` : 'no status known; left to the provider';
      if (r.p.verdict === 'ALREADY_CANCELLED') this.end(r.e, 'ALREADY_CANCELLED', `already cancelled: ${seen}`);
      if (r.p.verdict === 'NOT_ELIGIBLE') this.end(r.e, 'NOT_ELIGIBLE', `cannot be cancelled any more: ${seen}`);
    }
    this.tracker.step('eligibility', preps.length);
    this.tracker.log(`${this.open().length} of ${this.entries.length} eligible`);
  }

  /** HOLDING: each order held at the merchant; its undo is owed from before the call. */
  private async hold(): Promise<void> {
    this.tracker.enter('HOLDING', `asking the merchant to hold ${this.open().length} order(s)`);
    for (;;) {
      if (this.desk.abort) return this.abortOpen('aborted while holding');
      const todo = this.open().filter((e) => !e.held);
      const errors = await Promise.all(
        todo.map(async (e) => {
          e.holdOwed = true;
          const r = await runStep(
            () => this.hook(e, 'hold', 'cancellation.hold_requested', { reason: this.input.reason }),
            this.merchant.maximumAttempts,
            this.trackScope(),
          );
          this.tracker.step('hold', r.attempts, r.ok ? undefined : r.error);
          if (r.ok) e.held = true;
          else if (r.kind === 'merchantRefused') {
            e.holdOwed = false;
            this.end(e, 'REJECTED', `merchant refused the hold: ${r.error.message}`);
          } else if (r.kind !== 'cancelled') return { e, error: r.error };
          return undefined;
        }),
      );
      const failed = errors.filter((x) => x !== undefined);
      if (this.desk.abort) return this.abortOpen('aborted while holding');
      if (failed.length === 0) return;
      const decision = await this.askOperator(
        'hold',
        failed[0].error,
        failed.map((f) => f.e),
      );
      if (decision === 'abort') return this.abortOpen('aborted while holding');
    }
  }

  private trackScope() {
    let mine: CancellationScope | undefined;
    return (s: CancellationScope | undefined) => {
      if (s) this.scopes.add((mine = s));
      else if (mine) this.scopes.delete(mine);
    };
  }

  /** One bulk call for `ids`; a refusal splits them in halves until each refused id stands alone. */
  private async cancelSegment(ids: string[], path: string): Promise<void> {
    const pol = this.policies as Policies; // set: only eligible orders (which had a policy answer) get here
    const spec = pol.provider.fincart;
    const byId = new Map(this.entries.map((e) => [e.order.orderId, e]));
    let attempts = 0;
    for (;;) {
      if (this.desk.abort) return;
      const r = await runStep(
        () =>
          acts.cancelBatchAtProvider.executeWithOptions(
            callOptions(`Fincart bulk cancel of ${ids.length} order(s) (pivot)`, spec, pol.providerCallTimeoutMs),
            [
              {
                provider: 'fincart',
                orderIds: ids,
                reason: this.input.reason,
                idempotencyKey: `${this.wfId}/cancel/${path}`,
              },
            ],
          ),
        spec.maximumAttempts,
        () => undefined,
      );
      attempts += r.attempts;
      this.tracker.step('cancel', r.attempts, r.ok ? undefined : r.error);
      if (r.ok) {
        for (const res of r.value.results) {
          const e = byId.get(res.orderId) as Entry;
          e.pending = this.finalSteps(e);
          this.end(
            e,
            'CANCELLED',
            `fincart answered ${res.status}${res.providerMessage ? `: ${res.providerMessage}` : ''}`,
            true,
          );
        }
        return;
      }
      // A refusal after failed attempts is ambiguous: an earlier attempt may have cancelled (Fincart cannot tell).
      if (r.kind === 'rejected' && attempts <= 1) {
        if (ids.length === 1)
          return this.end(byId.get(ids[0]) as Entry, 'REJECTED', `fincart refused the cancel: ${r.error.message}`);
        const mid = Math.ceil(ids.length / 2);
        this.tracker.log(
          `fincart refused ${ids.length} order(s) (${path}); splitting in halves of ${mid} and ${ids.length - mid}`,
        );
        await this.cancelSegment(ids.slice(0, mid), `${path}.0`);
        await this.cancelSegment(ids.slice(mid), `${path}.1`);
        return;
      }
      if (r.kind === 'auth' || r.kind === 'invalid') {
        for (const id of ids) this.end(byId.get(id) as Entry, 'FAILED', `${r.error.type}: ${r.error.message}`);
        return;
      }
      const decision = await this.askOperator(
        'cancel',
        r.error,
        ids.map((id) => byId.get(id) as Entry),
      );
      if (decision === 'abort') return;
      attempts = Math.max(attempts, 2); // after an operator retry a refusal stays ambiguous
    }
  }

  private finalSteps(e: Entry): FinalStep[] {
    const opts = this.input.options ?? {};
    const steps: FinalStep[] = [];
    if (opts.refund !== false && e.paid === true) steps.push('refund');
    if (opts.restock !== false) steps.push('restock');
    steps.push('markCancelled');
    return steps;
  }

  /** FINALIZING: after the pivot nothing is undone; failed steps wait for an operator, abort skips what is left. */
  private async finalize(): Promise<void> {
    const todo = () => this.entries.filter((e) => e.result?.providerCancelled && e.pending.length > 0);
    if (todo().length === 0) return;
    this.tracker.enter('FINALIZING', `refund/restock/mark cancelled for ${todo().length} order(s)`);
    while (todo().length > 0 && !this.desk.abort) {
      const failed = (await Promise.all(todo().map((e) => this.finalizeOrder(e)))).filter((x) => x !== undefined);
      if (failed.length === 0 || this.desk.abort) break;
      const decision = await this.askOperator(
        failed[0].step,
        failed[0].error,
        failed.map((f) => f.e),
      );
      if (decision === 'abort') break;
    }
    for (const e of todo()) {
      const why = this.desk.abort?.reason ?? 'abort';
      this.end(
        e,
        'ABORTED',
        `aborted after the provider cancelled the order (cannot be undone): ${why}; skipped: ${e.pending.join(', ')}`,
        true,
      );
    }
  }

  private async finalizeOrder(e: Entry): Promise<{ e: Entry; step: StepName; error: StepError } | undefined> {
    const data = {
      outcome: 'CANCELLED',
      notifyCustomer: this.input.options?.notifyCustomer ?? true,
      reason: this.input.reason,
    };
    while (e.pending.length > 0 && !this.desk.abort) {
      const step = e.pending[0];
      const r = await runStep(
        () => this.hook(e, step, FINAL_EVENT[step], step === 'markCancelled' ? data : {}),
        this.merchant.maximumAttempts,
        () => undefined,
      );
      this.tracker.step(step, r.attempts, r.ok ? undefined : r.error);
      if (!r.ok) return { e, step, error: r.error };
      e.pending.shift();
    }
    return undefined;
  }

  /** Release owed holds (not cancellable) and tell the merchant each order's outcome. */
  private async close(): Promise<void> {
    const notCancelled = this.entries.filter((e) => e.result?.outcome !== 'CANCELLED');
    if (notCancelled.length === 0) return;
    this.tracker.enter('NOTIFYING', `telling the merchant the outcome of ${notCancelled.length} order(s)`);
    await Promise.all(
      notCancelled.map(async (e) => {
        const res = e.result as BatchOrderResult;
        if (e.holdOwed && !res.providerCancelled) {
          try {
            await this.hook(e, 'releaseHold', 'cancellation.hold_released', {});
          } catch (err) {
            this.tracker.log(`releasing the hold of ${e.order.orderId} failed: ${(err as Error).message}`);
          }
        }
        const type = OUTCOME_EVENT[res.outcome];
        if (type)
          await this.notify(
            e,
            type,
            { outcome: res.outcome, message: res.message, providerCancelled: res.providerCancelled },
            'outcome',
          );
      }),
    );
  }

  private async askOperator(step: StepName, error: StepError, affected: Entry[]): Promise<'retry' | 'abort'> {
    const n = ++this.notices;
    for (const e of affected)
      void this.notify(
        e,
        'cancellation.needs_attention',
        { step, error, batch: this.input.batchNo },
        `needs_attention.${n}`,
      );
    return this.desk.await(step, error, this.timeoutMs);
  }

  /** Best-effort notification: a failure is recorded, never blocks the outcome. */
  private async notify(e: Entry, type: MerchantEventType, data: Record<string, unknown>, key: string): Promise<void> {
    try {
      await this.hook(e, 'notify', type, data, `notify.${key}`);
    } catch (err) {
      this.tracker.log(`notification ${type} for ${e.order.orderId} failed: ${(err as Error).message}`);
    }
  }

  /** A merchant step for one order; idempotency key `<batchWorkflowId>/<orderId>/<step>`. */
  private hook(e: Entry, step: StepName, type: MerchantEventType, data: Record<string, unknown>, key: string = step) {
    const { orderId } = e.order;
    return acts.merchantHook.executeWithOptions(callOptions(`Merchant: ${type} (${orderId})`, this.merchant), [
      {
        step: step as 'notify',
        type,
        key: `${this.wfId}/${orderId}/${key}`,
        workflowId: this.wfId,
        provider: 'fincart',
        orderId,
        occurredAt: new Date().toISOString(),
        data: { ...data, bulkId: this.input.bulkId, batch: this.input.batchNo },
      },
    ]);
  }
}
