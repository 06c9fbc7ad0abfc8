import {
  type CancellationScope,
  patched,
  proxyLocalActivities,
  workflowInfo,
  setWorkflowOptions,
} from '@temporalio/workflow';
import { versioned } from '../versioning';
import type { Activities } from '../../activities';
import { acts, pivotOptions } from '../shared/activity-options';
import {
  BATCH_ELIGIBILITY,
  idempotencyKey,
  MERCHANT_FALLBACK_RETRY,
  PROVIDER_TASK_QUEUES_PATCH,
  providerTaskQueue,
  LEGACY_BATCH_PROVIDER,
  providerDisplayName,
  type BatchOrderResult,
  type FinalStep,
  type BatchInput,
  type BatchResult,
  type Outcome,
  type ProviderCancelled,
  type ProviderId,
  type StepError,
} from '../../contract/lean';
import { refusal, type Entry } from './hook-batch';
import { BatchMerchant } from './merchant';
import { closeBatch } from './close';
import { BATCH_CHAINED_FINAL_STEPS_PATCH, finalizeByStep, finalizeChained, type FinalFailure } from './finalize';
import { settleSegment, type SettleContext } from './settle';
import { BatchTracker } from './tracker';
import { OperatorDesk, type Decision } from '../shared/operator-desk';
import { tellBulkParentEnded } from '../shared/bulk-parent';
import { answerMayBeLost, PROVIDER_EVIDENCE_PATCH } from '../shared/evidence';
import { runStep } from '../shared/run-step';
import { markCancelledData, operatorTimeoutMs, OUTCOME_MESSAGE, planFinalSteps } from '../shared/rules';
import { runSaga, type Saga } from '../shared/saga';

/** Eligibility is pure computation for a batch (no lookup): local activities keep it off the task queue. */
type Policies = Awaited<ReturnType<Activities['prepareCancellation']>>['policies'];

const local = proxyLocalActivities<Activities>({
  startToCloseTimeout: BATCH_ELIGIBILITY.timeoutMs,
  retry: { maximumAttempts: BATCH_ELIGIBILITY.maximumAttempts },
});

/**
 * Cancel one batch of a batch provider's orders: eligibility, holds, ONE bulk call (bisected on refusal), finalize. Merchant
 * calls go as ONE `merchantHookBatch` activity per step for the whole batch (each order keeps its own events and keys).
 */
export async function cancelFincartBatch(input: BatchInput): Promise<BatchResult> {
  // The input comes from the bulk parent, which checked every order.
  return runSaga('cancelFincartBatch', { ok: true, value: input }, (checked) => new BatchSaga(checked));
}
// Pinned: a run (even one waiting days for an operator) finishes on the build it started on.
setWorkflowOptions(versioned('PINNED'), cancelFincartBatch);

class BatchSaga implements Saga<BatchResult> {
  private readonly tracker: BatchTracker;
  private readonly desk: OperatorDesk;
  private pastPivot = false;
  private policies?: Policies;
  private readonly wfId = workflowInfo().workflowId;
  private readonly entries: Entry[];
  private readonly scopes = new Set<CancellationScope>();
  /** The merchant calls (hooks, notifications, the operator's notices). */
  private readonly calls: BatchMerchant;
  /** Settle a batch call whose answer may have been lost from evidence (read back, or an operator's confirm). */
  private readonly evidence = patched(PROVIDER_EVIDENCE_PATCH);
  /** The operator question in progress (askInTurn waits for it). */
  private operatorTurn: Promise<unknown> = Promise.resolve();
  /** The bulk's provider (inputs from before the field: the batch path's first user). */
  private readonly provider: ProviderId;

  constructor(private readonly input: BatchInput) {
    this.provider = input.provider ?? LEGACY_BATCH_PROVIDER;
    this.entries = input.orders.map((order) => ({ order, holdOwed: false, held: false, pending: [] }));
    this.tracker = new BatchTracker(this.provider, input.bulkId, input.batchNo, input.orders.length);
    this.desk = new OperatorDesk(this.tracker, () => this.pastPivot);
    // Abort before the pivot stops the running hold batch (its scope).
    this.desk.cancelCurrentStep = () => this.scopes.forEach((s) => s.cancel());
    const { bulkId, batchNo } = input;
    const context = () => ({ wfId: this.wfId, provider: this.provider, bulkId, batchNo, merchant: this.merchant });
    this.calls = new BatchMerchant(context, this.tracker, this.desk, () => this.timeoutMs);
  }

  abortFromTemporal(): void {
    this.desk.abortFromTemporal();
  }

  /** The worker's merchant budget (a fixed fallback when no eligibility answer came back). */
  private get merchant() {
    return this.policies?.merchant ?? MERCHANT_FALLBACK_RETRY;
  }

  private get timeoutMs(): number {
    return operatorTimeoutMs(this.input.options);
  }

  async run(): Promise<BatchResult> {
    await this.checkEligibility();
    await this.hold();
    const held = this.open().map((e) => e.order.orderId);
    if (held.length > 0 && !this.desk.abort) {
      this.tracker.enter(
        'CANCELLING_AT_PROVIDER',
        `cancelling ${held.length} order(s) at ${this.provider} in ${Math.ceil(held.length / (this.input.callSize ?? held.length))} call(s)`,
      );
      // A batch of more orders than one call takes: one call per `callSize` ids, all at once.
      const size = this.input.callSize ?? held.length;
      if (held.length <= size) await this.cancelSegment(held, 'all');
      else {
        const chunks = Array.from({ length: Math.ceil(held.length / size) }, (_, i) =>
          held.slice(i * size, (i + 1) * size),
        );
        await Promise.all(chunks.map((ids, i) => this.cancelSegment(ids, `c${i}`)));
      }
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
    if (this.desk.everAwaited)
      await tellBulkParentEnded(results.map(({ orderId, outcome, message }) => ({ orderId, outcome, message })));
    return { batchNo: this.input.batchNo, results };
  }

  /** Orders with no outcome yet. */
  private open(): Entry[] {
    return this.entries.filter((e) => !e.result);
  }

  private end(e: Entry, outcome: Outcome, message: string, providerCancelled: ProviderCancelled = false): void {
    e.result = { orderId: e.order.orderId, outcome, message, providerCancelled };
    this.tracker.recordResult(e.result);
  }

  private abortOpen(where: string): void {
    if (!this.desk.abort) return;
    const why = `${where}: ${this.desk.abort.reason}`;
    for (const e of this.open()) this.end(e, 'ABORTED', why);
  }

  /** CHECKING_ELIGIBILITY: the caller's snapshot, judged by the worker's rules (no snapshot: left to the provider). */
  private async checkEligibility(): Promise<void> {
    // Without a snapshot there is nothing to judge (no lookup in a batch): one call still brings the worker's budgets.
    const judged = this.entries.filter((e, i) => e.order.snapshot !== undefined || i === 0);
    const preps = await Promise.all(
      judged.map((e) =>
        local
          .prepareCancellation({ provider: this.provider, orderId: e.order.orderId, snapshot: e.order.snapshot })
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
    this.tracker.addAttempts('eligibility', preps.length);
    this.tracker.log(`${this.open().length} of ${this.entries.length} eligible`);
  }

  /** HOLDING: every open order held at the merchant in one batch call; each hold's undo is owed from before it. */
  private async hold(): Promise<void> {
    this.tracker.enter('HOLDING', `asking the merchant to hold ${this.open().length} order(s)`);
    for (;;) {
      if (this.desk.abort) return this.abortOpen('aborted while holding');
      const todo = this.open().filter((e) => !e.held);
      if (todo.length === 0) return;
      for (const e of todo) e.holdOwed = true;
      const data = { reason: this.input.reason };
      const r = await this.calls.hooks(
        todo.map((e) => ({ e, step: 'hold', type: 'cancellation.hold_requested', data })),
        this.trackScope(),
      );
      const failed: Entry[] = [];
      let stepError = r.error;
      r.results.forEach((res, i) => {
        const e = todo[i];
        if (!res) failed.push(e);
        else if (res.result !== 'refused') e.held = true;
        else {
          e.holdOwed = false;
          stepError ??= refusal(res);
          this.end(e, 'REJECTED', OUTCOME_MESSAGE.merchantRefusedHold(refusal(res).message));
        }
      });
      this.tracker.addAttempts('hold', r.attempts, stepError);
      if (this.desk.abort) return this.abortOpen('aborted while holding');
      if (failed.length === 0) return;
      const decision = await this.calls.askOperator('hold', r.error as StepError, failed);
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

  /**
   * One bulk call for `ids`; a refusal splits them in halves until each refused id stands alone. `repeat`: the ids had a
   * call whose answer may have been lost, so a refusal now is not proof (settled from evidence instead).
   */
  private async cancelSegment(ids: string[], path: string, repeat = false): Promise<void> {
    const policies = this.policies as Policies; // set: only eligible orders (which had a policy answer) get here
    const spec = policies.provider[this.provider];
    const options = pivotOptions(
      `${providerDisplayName(this.provider)} bulk cancel of ${ids.length} order(s) (pivot)`,
      spec,
      policies.providerCallTimeoutMs,
    );
    const queue = this.providerQueue();
    if (queue) options.taskQueue = queue;
    const byId = new Map(this.entries.map((e) => [e.order.orderId, e]));
    let attempts = repeat ? 1 : 0;
    for (;;) {
      if (this.desk.abort) return;
      const r = await runStep(
        () =>
          acts.cancelBatchAtProvider.executeWithOptions(options, [
            {
              provider: this.provider,
              orderIds: ids,
              reason: this.input.reason,
              idempotencyKey: idempotencyKey(this.wfId, workflowInfo().firstExecutionRunId, `cancel/${path}`),
            },
          ]),
        spec.maximumAttempts,
        () => undefined,
      );
      attempts += r.attempts;
      this.tracker.addAttempts('cancel', r.attempts, r.ok ? undefined : r.error);
      if (r.ok) {
        for (const res of r.value.results) {
          const e = byId.get(res.orderId) as Entry;
          e.pending = this.finalSteps(e, res.doneByProvider);
          this.end(
            e,
            'CANCELLED',
            `${this.provider} answered ${res.status}${res.providerMessage ? `: ${res.providerMessage}` : ''}`,
            true,
          );
        }
        return;
      }
      // A refusal after failed attempts is ambiguous: an earlier attempt may have cancelled (the answer cannot tell).
      if (r.kind === 'rejected' && attempts <= 1) {
        if (ids.length === 1)
          return this.end(
            byId.get(ids[0]) as Entry,
            'REJECTED',
            OUTCOME_MESSAGE.providerRefused(this.provider, r.error.message),
          );
        const mid = Math.ceil(ids.length / 2);
        this.tracker.log(
          `${this.provider} refused ${ids.length} order(s) (${path}); splitting in halves of ${mid} and ${ids.length - mid}`,
        );
        await this.cancelSegment(ids.slice(0, mid), `${path}.0`);
        await this.cancelSegment(ids.slice(mid), `${path}.1`);
        return;
      }
      if (r.kind === 'auth' || r.kind === 'invalid' || r.kind === 'config') {
        for (const id of ids) this.end(byId.get(id) as Entry, 'FAILED', `${r.error.type}: ${r.error.message}`);
        return;
      }
      if (this.evidence)
        return settleSegment(this.settleContext(), ids, path, r.kind, r.error, answerMayBeLost(r, attempts));
      const decision = await this.askInTurn(
        'cancel',
        r.error,
        ids.map((id) => byId.get(id) as Entry),
      );
      if (decision === 'abort') return;
      attempts = Math.max(attempts, 2); // after an operator retry a refusal stays ambiguous
    }
  }

  /** One operator question at a time: a batch's provider calls run side by side, the operator desk has one prompt. */
  private askInTurn(...args: Parameters<BatchMerchant['askOperator']>): Promise<Decision> {
    if (!this.input.callSize) return this.calls.askOperator(...args); // one call at a time: as before the field
    const turn = this.operatorTurn.then(() => this.calls.askOperator(...args));
    this.operatorTurn = turn.catch(() => undefined);
    return turn;
  }

  /** What settle.ts uses of this saga. */
  private settleContext(): SettleContext {
    const { provider, tracker, desk } = this;
    return {
      provider,
      tracker,
      desk,
      byId: () => new Map(this.entries.map((e) => [e.order.orderId, e])),
      providerQueue: () => this.providerQueue(),
      end: (e, outcome, message, providerCancelled) => this.end(e, outcome, message, providerCancelled),
      endCancelled: (e, message) => this.endCancelled(e, message),
      cancelSegment: (ids, path, repeat) => this.cancelSegment(ids, path, repeat),
      askOperator: (step, error, affected, unknown) => this.askInTurn(step, error, affected, unknown),
    };
  }

  /** The provider cancelled this order: its merchant steps are due. */
  private endCancelled(e: Entry, message: string): void {
    e.pending = this.finalSteps(e);
    this.end(e, 'CANCELLED', message, true);
  }

  /** The provider's own queue (its rate cap and pause), except in histories from before that queue existed. */
  private providerQueue(): string | undefined {
    return patched(PROVIDER_TASK_QUEUES_PATCH) ? providerTaskQueue(workflowInfo().taskQueue, this.provider) : undefined;
  }

  /** The order's steps after the pivot (the shared rules), less those the provider did with the cancel. */
  private finalSteps(e: Entry, doneByProvider: readonly FinalStep[] = []): FinalStep[] {
    return planFinalSteps(this.input.options, e.paid, doneByProvider, this.provider).steps;
  }

  /** FINALIZING: after the pivot nothing is undone; failed steps wait for an operator, abort skips what is left. */
  private async finalize(): Promise<void> {
    const todo = () => this.entries.filter((e) => e.result?.providerCancelled === true && e.pending.length > 0);
    if (todo().length === 0) return;
    this.tracker.enter('FINALIZING', `refund/restock/mark cancelled for ${todo().length} order(s)`);
    while (todo().length > 0 && !this.desk.abort) {
      const failed = await this.finalizeRound(todo);
      if (failed.length === 0 || this.desk.abort) break;
      const decision = await this.calls.askOperator(
        failed[0].step,
        failed[0].error,
        failed.map((f) => f.e),
      );
      if (decision === 'abort') break;
    }
    const why = this.desk.abort?.reason ?? 'abort';
    for (const e of todo()) this.end(e, 'ABORTED', OUTCOME_MESSAGE.abortedAfterPivot(why, e.pending), true);
  }

  /**
   * The orders' remaining steps (refund, restock, mark cancelled) in one batch call, chained per order (patched; before:
   * one batch call per step); an order that fails stops there.
   */
  private async finalizeRound(todo: () => Entry[]): Promise<FinalFailure[]> {
    const data = markCancelledData(this.input.options, this.input.reason);
    if (patched(BATCH_CHAINED_FINAL_STEPS_PATCH)) return finalizeChained(todo(), data, this.calls, this.tracker);
    return finalizeByStep(todo, data, this.calls, this.tracker, () => this.desk.abort !== undefined);
  }

  /** NOTIFYING: release owed holds, then tell the merchant each order's outcome. */
  private async close(): Promise<void> {
    await closeBatch(this.entries, this.calls, this.tracker);
  }
}
