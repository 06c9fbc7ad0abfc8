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
  DEFAULT_OPERATOR_TIMEOUT,
  durationMs,
  idempotencyKey,
  FINAL_STEPS,
  MERCHANT_FALLBACK_RETRY,
  NEEDS_ATTENTION_EVENT,
  OUTCOME_EVENT,
  PROVIDER_STATE_UNKNOWN,
  PROVIDER_TASK_QUEUES_PATCH,
  providerTaskQueue,
  STEP_EVENT,
  LEGACY_BATCH_PROVIDER,
  providerDisplayName,
  type BatchOrderResult,
  type FinalStep,
  type BatchInput,
  type BatchResult,
  type Outcome,
  type ProviderCancelled,
  type ReadBack,
  type ProviderId,
  type StepError,
  type StepName,
} from '../../contract/lean';
import { refusal, runHookBatch, type Entry, type HookBatchRun, type HookJob } from './hook-batch';
import { BatchTracker } from './tracker';
import { OperatorDesk, type Decision } from '../shared/operator-desk';
import { tellBulkParentEnded } from '../shared/bulk-parent';
import { answerMayBeLost, PROVIDER_EVIDENCE_PATCH, readBack } from '../shared/evidence';
import { runStep } from '../shared/run-step';
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
  private notices = 0;
  /** Settle a batch call whose answer may have been lost from evidence (read back, or an operator's confirm). */
  private readonly evidence = patched(PROVIDER_EVIDENCE_PATCH);
  /** The bulk's provider (inputs from before the field: the batch path's first user). */
  private readonly provider: ProviderId;

  constructor(private readonly input: BatchInput) {
    this.provider = input.provider ?? LEGACY_BATCH_PROVIDER;
    this.entries = input.orders.map((order) => ({ order, holdOwed: false, held: false, pending: [] }));
    this.tracker = new BatchTracker(this.provider, input.bulkId, input.batchNo, input.orders.length);
    this.desk = new OperatorDesk(this.tracker, () => this.pastPivot);
    // Abort before the pivot stops the running hold batch (its scope).
    this.desk.cancelCurrentStep = () => this.scopes.forEach((s) => s.cancel());
  }

  abortFromTemporal(): void {
    this.desk.abortFromTemporal();
  }

  /** The worker's merchant budget (a fixed fallback when no eligibility answer came back). */
  private get merchant() {
    return this.policies?.merchant ?? MERCHANT_FALLBACK_RETRY;
  }

  private get timeoutMs(): number {
    return durationMs(this.input.options?.operatorTimeout ?? DEFAULT_OPERATOR_TIMEOUT);
  }

  async run(): Promise<BatchResult> {
    await this.checkEligibility();
    await this.hold();
    const held = this.open().map((e) => e.order.orderId);
    if (held.length > 0 && !this.desk.abort) {
      this.tracker.enter(
        'CANCELLING_AT_PROVIDER',
        `cancelling ${held.length} order(s) at ${this.provider} in one call`,
      );
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
      const r = await this.hooks(
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
          this.end(e, 'REJECTED', `merchant refused the hold: ${refusal(res).message}`);
        }
      });
      this.tracker.addAttempts('hold', r.attempts, stepError);
      if (this.desk.abort) return this.abortOpen('aborted while holding');
      if (failed.length === 0) return;
      const decision = await this.askOperator('hold', r.error as StepError, failed);
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
    // Through the provider's own queue (its rate cap and pause), except in histories from before that queue existed.
    if (patched(PROVIDER_TASK_QUEUES_PATCH))
      options.taskQueue = providerTaskQueue(workflowInfo().taskQueue, this.provider);
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
          e.pending = this.finalSteps(e);
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
            `${this.provider} refused the cancel: ${r.error.message}`,
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
      if (this.evidence) return this.settleSegment(ids, path, r.kind, r.error, answerMayBeLost(r, attempts));
      const decision = await this.askOperator(
        'cancel',
        r.error,
        ids.map((id) => byId.get(id) as Entry),
      );
      if (decision === 'abort') return;
      attempts = Math.max(attempts, 2); // after an operator retry a refusal stays ambiguous
    }
  }

  /**
   * The call's answer may have been lost (a crash, an outage, a refusal of a repeat): read each order back. Cancelled
   * there → CANCELLED; not cancellable → REJECTED; still pending after a refusal → cancelled again (the refusal was
   * about the others); the rest waits for an operator, who retries, aborts or confirms what they checked.
   */
  private async settleSegment(
    ids: string[],
    path: string,
    kind: string,
    error: StepError,
    lost: boolean,
  ): Promise<void> {
    const byId = new Map(this.entries.map((e) => [e.order.orderId, e]));
    const seen = await readBack(this.provider, ids, this.providerQueue());
    const name = providerDisplayName(this.provider);
    const count = (f: (s: ReadBack) => boolean) => seen.filter(f).length;
    this.tracker.log(
      `${name}'s call for ${ids.length} order(s) failed (${error.type}${lost ? '; its answer may have been lost' : ''}); read back: ` +
        `${count((s) => s.state === 'cancelled')} cancelled, ${count((s) => s.cancellable === true)} still cancellable, ` +
        `${count((s) => s.state === 'not_cancelled' && !s.cancellable)} not cancellable, ${count((s) => s.state === 'unknown')} unknown`,
    );
    const again: string[] = [];
    const waiting: ReadBack[] = [];
    for (const s of seen) {
      const e = byId.get(s.orderId) as Entry;
      if (s.state === 'cancelled') this.endCancelled(e, `cancelled at ${name} (settled, ${s.note})`);
      else if (s.state === 'not_cancelled' && !s.cancellable)
        this.end(e, 'REJECTED', `${name} refused the cancel: ${error.message} (${s.note})`);
      else if (s.cancellable && kind === 'rejected') again.push(s.orderId);
      // Unknown counts only when an answer may have been lost; answered failures (5xx, 429) cancelled nothing.
      else waiting.push(s.state === 'unknown' && !lost ? { ...s, state: 'not_cancelled' } : s);
    }
    if (again.length > 0) await this.cancelSegment(again, `${path}.r`);
    if (waiting.length > 0) await this.askAboutSegment(waiting, path, error);
  }

  /** Orders of a call that evidence did not settle: the operator retries them, aborts, or confirms their state. */
  private async askAboutSegment(waiting: ReadBack[], path: string, error: StepError): Promise<void> {
    const byId = new Map(this.entries.map((e) => [e.order.orderId, e]));
    let left = waiting;
    while (left.length > 0) {
      const unknown = left.filter((s) => s.state === 'unknown').map((s) => s.orderId);
      const decision: Decision = await this.askOperator(
        'cancel',
        error,
        left.map((s) => byId.get(s.orderId) as Entry),
        unknown,
      );
      if (decision === 'retry')
        return this.cancelSegment(
          left.map((s) => s.orderId),
          `${path}.o`,
          true,
        );
      if (decision === 'abort') {
        const why = `${this.desk.abort?.reason ?? 'abort'}; the hold stays: check the order at ${providerDisplayName(this.provider)}`;
        for (const id of unknown)
          this.end(byId.get(id) as Entry, 'ABORTED', `aborted while the provider state was unknown: ${why}`, 'unknown');
        return; // the others are known not cancelled: aborted before the pivot (holds released)
      }
      const by = decision.by ? ` by ${decision.by}` : '';
      for (const id of decision.orderIds) {
        const e = byId.get(id) as Entry;
        if (decision.cancelled)
          this.endCancelled(e, `confirmed cancelled at ${providerDisplayName(this.provider)}${by}`);
        else
          this.end(
            e,
            'REJECTED',
            `confirmed NOT cancelled at ${providerDisplayName(this.provider)}${by}${decision.note ? ` (${decision.note})` : ''}`,
          );
      }
      left = left.filter((s) => !decision.orderIds.includes(s.orderId));
    }
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
    const todo = () => this.entries.filter((e) => e.result?.providerCancelled === true && e.pending.length > 0);
    if (todo().length === 0) return;
    this.tracker.enter('FINALIZING', `refund/restock/mark cancelled for ${todo().length} order(s)`);
    while (todo().length > 0 && !this.desk.abort) {
      const failed = await this.finalizeRound(todo);
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

  /** One batch call per step (refund, restock, mark cancelled) for the orders due; an order that fails stops there. */
  private async finalizeRound(todo: () => Entry[]): Promise<{ e: Entry; step: FinalStep; error: StepError }[]> {
    const data = {
      outcome: 'CANCELLED',
      notifyCustomer: this.input.options?.notifyCustomer ?? true,
      reason: this.input.reason,
    };
    const failed: { e: Entry; step: FinalStep; error: StepError }[] = [];
    for (const step of FINAL_STEPS) {
      if (this.desk.abort) break;
      const due = todo().filter((e) => e.pending[0] === step);
      if (due.length === 0) continue;
      const r = await this.hooks(
        due.map((e) => ({ e, step, type: STEP_EVENT[step], data: step === 'markCancelled' ? data : {} })),
      );
      let stepError = r.error;
      r.results.forEach((res, i) => {
        const e = due[i];
        if (res && res.result !== 'refused') return void e.pending.shift();
        const error = res ? refusal(res) : (r.error as StepError);
        stepError ??= error;
        failed.push({ e, step, error });
      });
      this.tracker.addAttempts(step, r.attempts, stepError);
    }
    return failed;
  }

  /** Release owed holds (one batch, not cancellable), then tell the merchant each order's outcome (one batch). */
  private async close(): Promise<void> {
    const notCancelled = this.entries.filter((e) => e.result?.outcome !== 'CANCELLED');
    if (notCancelled.length === 0) return;
    this.tracker.enter('NOTIFYING', `telling the merchant the outcome of ${notCancelled.length} order(s)`);
    const release: HookJob[] = notCancelled
      .filter((e) => e.holdOwed && !e.result?.providerCancelled)
      .map((e) => ({ e, step: 'releaseHold', type: 'cancellation.hold_released', data: {} }));
    if (release.length > 0) {
      const r = await this.hooks(release);
      this.logFailures(r, release, (j) => `releasing the hold of ${j.e.order.orderId} failed`);
    }
    const outcomes: HookJob[] = [];
    for (const e of notCancelled) {
      const res = e.result as BatchOrderResult;
      const unknown = res.providerCancelled === 'unknown'; // never told as an abort: the provider may have cancelled
      const type = unknown ? NEEDS_ATTENTION_EVENT : OUTCOME_EVENT[res.outcome];
      const data = { outcome: res.outcome, message: res.message, providerCancelled: res.providerCancelled };
      const said = unknown ? { ...data, step: 'cancel', providerState: 'unknown' } : data;
      if (type) outcomes.push({ e, step: 'notify', type, data: said });
    }
    await this.notify(outcomes, 'outcome');
  }

  private async askOperator(
    step: StepName,
    error: StepError,
    affected: Entry[],
    unknown: string[] = [],
  ): Promise<Decision> {
    const n = ++this.notices;
    const data = { step, error, batch: this.input.batchNo };
    const unknownData = { ...data, providerState: 'unknown', message: PROVIDER_STATE_UNKNOWN };
    const said = (e: Entry) => (unknown.includes(e.order.orderId) ? unknownData : data);
    void this.notify(
      affected.map((e) => ({ e, step: 'notify', type: NEEDS_ATTENTION_EVENT, data: said(e) })),
      `needs_attention.${n}`,
    );
    return this.desk.waitForOperator(step, error, this.timeoutMs, unknown);
  }

  /** Best-effort notifications (one batch): a failure is recorded, never blocks the outcome. */
  private async notify(jobs: HookJob[], key: string): Promise<void> {
    if (jobs.length === 0) return;
    const r = await this.hooks(jobs.map((j) => ({ ...j, key: `notify.${key}` })));
    this.logFailures(r, jobs, (j) => `notification ${j.type} for ${j.e.order.orderId} failed`);
  }

  /** Log each call of a best-effort batch that did not go through (refused, or the activity gave up). */
  private logFailures(r: HookBatchRun, jobs: HookJob[], what: (job: HookJob) => string): void {
    r.results.forEach((res, i) => {
      if (res && res.result !== 'refused') return;
      this.tracker.log(`${what(jobs[i])}: ${(res ? refusal(res) : (r.error as StepError)).message}`);
    });
  }

  /** One `merchantHookBatch` for these orders' calls; idempotency keys `<batchWorkflowId>/<firstRunId>/<orderId>/<step>`. */
  private hooks(jobs: HookJob[], onScope?: (scope: CancellationScope | undefined) => void): Promise<HookBatchRun> {
    const ctx = {
      wfId: this.wfId,
      firstRunId: workflowInfo().firstExecutionRunId,
      provider: this.provider,
      bulkId: this.input.bulkId,
      batchNo: this.input.batchNo,
      merchant: this.merchant,
    };
    return runHookBatch(ctx, jobs, onScope);
  }
}
