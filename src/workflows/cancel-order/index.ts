import { patched, workflowInfo, setWorkflowOptions } from '@temporalio/workflow';
import { versioned } from '../versioning';
import type { Activities } from '../../activities';
import {
  plainCheckCancelOrderInput,
  DEFAULT_OPERATOR_TIMEOUT,
  DEFAULT_POLICIES,
  durationMs,
  ELIGIBILITY_RETRY,
  ErrorType,
  idempotencyKey,
  LOOKUP_PROVIDERS,
  NEEDS_ATTENTION_EVENT,
  OUTCOME_EVENT,
  asyncCancelOf,
  PROVIDER_STATE_UNKNOWN,
  PROVIDER_TASK_QUEUES_PATCH,
  providerTaskQueue,
  STEP_EVENT,
  type CancelOrderInput,
  type CancelOrderResult,
  type FinalStep,
  type HookStep,
  type MerchantEventType,
  type Outcome,
  type Policies,
  type ProviderCancelled,
  type ReadBack,
  type RetrySpec,
  type StepError,
  type StepName,
} from '../../contract/lean';
import { acts, callOptions, pivotOptions, localActs, localCallOptions } from '../shared/activity-options';
import { OperatorDesk } from '../shared/operator-desk';
import { tellBulkParentEnded } from '../shared/bulk-parent';
import { answerMayBeLost, PROVIDER_EVIDENCE_PATCH, provesNotCancelled, readBack } from '../shared/evidence';
import { runStep, type FailureKind } from '../shared/run-step';
import { runSaga, type Saga } from '../shared/saga';
import { now } from '../shared/tracker-base';
import { EarlyAnswer } from './early-answer';
import { watchRetries } from './retry-notes';
import { Tracker } from './tracker';
import { cancelAndAwaitJob } from './async-cancel';

/**
 * Why a step gave up: a failure kind the saga ends on, or an abort; `abortedUnknown` is an abort while a lost answer
 * left the provider's side unknown (nothing is undone, nothing is told as fact).
 */
type Stop = { stop: FailureKind | 'aborted' | 'abortedUnknown'; error?: StepError };
const isStop = (v: unknown): v is Stop => typeof v === 'object' && v !== null && 'stop' in v;

/** What the provider cancel answered (or what evidence settled). */
type Cancelled = Awaited<ReturnType<Activities['cancelAtProvider']>>;

/** What a phase returns: the cancellation's end, or undefined to go on to the next phase. */
type Phase = Promise<CancelOrderResult | undefined>;

/** Cancel one order at its provider: eligibility, hold, cancel (the pivot), finalize, notify. See docs/design.md. */
export async function cancelOrder(raw: CancelOrderInput): Promise<CancelOrderResult> {
  return runSaga('cancelOrder', plainCheckCancelOrderInput(raw), (input) => new CancelSaga(input));
}
// Pinned: a run (even one waiting days for an operator) finishes on the build it started on.
setWorkflowOptions(versioned('PINNED'), cancelOrder);

class CancelSaga implements Saga<CancelOrderResult> {
  private readonly tracker: Tracker;
  private readonly desk: OperatorDesk;
  private readonly early: EarlyAnswer;
  private readonly workflowId = workflowInfo().workflowId;
  /** Idempotency keys are unique per run (a new start of the same order is a new cancellation) and stable across retries. */
  private readonly key = (step: string) => idempotencyKey(this.workflowId, workflowInfo().firstExecutionRunId, step);
  /** The provider cancelled the order: from here on nothing is undone, only finished. */
  private pastPivot = false;
  /** The worker's retry budgets, brought by the eligibility step so that replays see the same. */
  private policies: Policies = DEFAULT_POLICIES;
  private paid: boolean | undefined;
  /** Steps the provider did itself with the cancel (its answer says so): not run again. */
  private doneByProvider: FinalStep[] = [];
  /** Undo steps registered before the step they undo runs (run in reverse on a stop before the pivot). */
  private readonly compensations: { name: StepName; run: () => Promise<{ attempt: number } | undefined> }[] = [];
  private attentionNotices = 0;
  /** Settle a cancel whose answer may have been lost from evidence (read back, or an operator's confirm). */
  private readonly evidence = patched(PROVIDER_EVIDENCE_PATCH);
  /**
   * The provider's own task queue (rate cap, pause) for its calls; undefined in histories from before it existed,
   * which keep their calls on the workflow's queue (the lookup then a local activity).
   */
  private readonly providerQueue: string | undefined;

  constructor(private readonly input: CancelOrderInput) {
    this.providerQueue = patched(PROVIDER_TASK_QUEUES_PATCH)
      ? providerTaskQueue(workflowInfo().taskQueue, input.provider)
      : undefined;
    this.tracker = new Tracker(input);
    this.desk = new OperatorDesk(this.tracker, () => this.pastPivot);
    this.early = new EarlyAnswer(this.tracker);
    watchRetries(this.tracker);
  }

  async run(): Promise<CancelOrderResult> {
    const result =
      (await this.checkEligibility()) ??
      (await this.holdAtMerchant()) ??
      (await this.cancelAtProvider()) ??
      (await this.finalize());
    // A bulk child that waited may have left its bulk's window (and run): it reports its end.
    if (this.desk.everAwaited)
      await tellBulkParentEnded([{ orderId: result.orderId, outcome: result.outcome, message: result.message }]);
    return result;
  }

  abortFromTemporal(): void {
    this.desk.abortFromTemporal();
  }

  /** CHECKING_ELIGIBILITY: the provider's lookup (or the caller's snapshot) says whether to go on. */
  private async checkEligibility(): Phase {
    const { provider, orderId, snapshot } = this.input;
    const summary = `Eligibility of ${provider} ${orderId}`;
    const args = [{ provider, orderId, snapshot }] as const;
    const queue = LOOKUP_PROVIDERS.includes(provider) ? this.providerQueue : undefined;
    // A provider lookup goes through the provider's queue (a regular activity); a snapshot is judged locally.
    const prep = await this.runStepAskingOperator('eligibility', ELIGIBILITY_RETRY, () =>
      queue
        ? acts.prepareCancellation.executeWithOptions(
            { ...callOptions(summary, ELIGIBILITY_RETRY), taskQueue: queue },
            [...args],
          )
        : localActs.prepareCancellation.executeWithOptions(localCallOptions(summary, ELIGIBILITY_RETRY), [...args]),
    );
    if (isStop(prep)) {
      if (prep.stop === 'rejected')
        return this.end('NOT_ELIGIBLE', `provider refused the lookup: ${prep.error?.message}`, prep.error);
      return this.stopBeforePivot(prep);
    }
    this.policies = prep.policies;
    this.paid = prep.paid;
    const seen = prep.status ? `status ${prep.status} (from ${prep.source})` : 'no status known; left to the provider';
    if (prep.verdict === 'ALREADY_CANCELLED') return this.end('ALREADY_CANCELLED', `already cancelled: ${seen}`);
    if (prep.verdict === 'NOT_ELIGIBLE') return this.end('NOT_ELIGIBLE', `cannot be cancelled any more: ${seen}`);
    this.tracker.log(`eligible: ${seen}`);
    return undefined;
  }

  /** HOLDING: the merchant holds the order (no shipping); its undo is registered before the step runs. */
  private async holdAtMerchant(): Phase {
    let holdRefused = false;
    this.compensations.push({
      name: 'releaseHold',
      run: () =>
        holdRefused ? Promise.resolve(undefined) : this.callMerchant('releaseHold', STEP_EVENT.releaseHold, {}),
    });
    this.tracker.enter('HOLDING', 'asking the merchant to hold the order');
    const held = await this.runStepAskingOperator('hold', this.policies.merchant, () =>
      this.callMerchant('hold', STEP_EVENT.hold, { reason: this.input.reason }),
    );
    if (!isStop(held)) return undefined;
    holdRefused = held.stop === 'merchantRefused';
    return this.stopBeforePivot(held);
  }

  /** CANCELLING_AT_PROVIDER: the pivot. Once the provider has cancelled, nothing before it is undone. */
  private async cancelAtProvider(): Phase {
    const { provider, orderId, reason } = this.input;
    if (this.desk.abort) return this.stopBeforePivot({ stop: 'aborted' });
    this.tracker.enter('CANCELLING_AT_PROVIDER', this.cancellingDetail());
    this.early.accept(`eligible and held at the merchant; cancelling at ${provider}`);
    const spec = this.policies.provider[provider];
    const options = pivotOptions(
      `Cancel ${provider} order ${orderId} (pivot)`,
      spec,
      this.policies.providerCallTimeoutMs,
    );
    const pivot = this.providerQueue ? { ...options, taskQueue: this.providerQueue } : options;
    const idempotencyKey = this.key('cancel');
    const capability = asyncCancelOf(provider);
    const call = capability
      ? () =>
          cancelAndAwaitJob({
            provider,
            orderId,
            reason,
            idempotencyKey,
            options: pivot,
            capability,
            tracker: this.tracker,
          })
      : () => acts.cancelAtProvider.executeWithOptions(pivot, [{ provider, orderId, reason, idempotencyKey }]);
    const cancelled = this.evidence
      ? await this.runPivot(spec, call)
      : await this.runStepAskingOperator('cancel', spec, call);
    if (isStop(cancelled)) return this.stopBeforePivot(cancelled);
    this.pastPivot = true;
    this.doneByProvider = cancelled.doneByProvider ?? [];
    this.tracker.providerCancelled = true;
    this.compensations.length = 0;
    const said = cancelled.providerMessage ? `: ${cancelled.providerMessage}` : '';
    this.tracker.log(`provider answered ${cancelled.status}${said}`);
    return undefined;
  }

  /**
   * What the Current details say while the pivot runs. The workflow cannot see its queue's config, so it names the
   * queue where the call waits when the provider is paused or at its cap (the reason: `cancel-orders providers`).
   */
  private cancellingDetail(): string {
    const { provider } = this.input;
    if (!this.providerQueue) return `cancelling at ${provider}`;
    return (
      `cancelling at ${provider}; the call waits on task queue ${this.providerQueue} while ${provider} is paused or ` +
      'at its rate cap (no retry is spent waiting; `cancel-orders providers` shows the cap and its reason)'
    );
  }

  /**
   * The pivot, settled from evidence: a failure that does not prove the order untouched (a lost answer, a refusal of a
   * repeat, retries spent) reads the order back. Cancelled there → the pivot is done; not cancelled → the failure
   * stands; unknown → an operator retries, aborts (nothing undone, nothing told as fact) or confirms what they checked.
   */
  private async runPivot(spec: RetrySpec, call: () => Promise<Cancelled>) {
    const rec = this.tracker.record('cancel');
    for (;;) {
      if (this.desk.abort) return { stop: 'aborted' } as Stop;
      rec.status = 'running';
      const r = await runStep(call, spec.maximumAttempts, (scope) => {
        this.desk.cancelCurrentStep = scope ? () => scope.cancel() : undefined;
      });
      rec.attempts += r.attempts;
      if (r.ok) {
        this.tracker.finishStep('cancel', 'done');
        return r.value;
      }
      const error = r.kind === 'cancelled' ? { type: ErrorType.Cancelled, message: 'stopped by abort' } : r.error;
      this.tracker.finishStep('cancel', 'failed', r.kind === 'cancelled' ? 'stopped by abort' : undefined, error);
      if (provesNotCancelled(r.kind, rec.attempts)) return { stop: r.kind, error } as Stop;
      const lost = answerMayBeLost(r, rec.attempts);
      const [seen] = await readBack(this.input.provider, [this.input.orderId], this.providerQueue);
      this.tracker.log(
        `the cancel failed (${error.type}${lost ? '; its answer may have been lost' : ''}); ${seen.note}`,
      );
      if (seen.state === 'cancelled') return this.settledCancelled(rec.attempts, seen);
      // Unknown counts only when an answer may have been lost; answered failures (5xx, 429) cancelled nothing.
      const unknown = seen.state === 'unknown' && lost;
      if (this.desk.abort) return { stop: unknown ? 'abortedUnknown' : 'aborted', error } as Stop;
      if (!unknown && r.kind === 'rejected') return { stop: 'rejected', error } as Stop;
      const notice = `needs_attention.${++this.attentionNotices}`;
      const data = unknown
        ? { step: 'cancel', error, providerState: 'unknown', message: PROVIDER_STATE_UNKNOWN }
        : { step: 'cancel', error };
      void this.notifyMerchant(NEEDS_ATTENTION_EVENT, data, notice);
      const ids = unknown ? [this.input.orderId] : [];
      const decision = await this.desk.waitForOperator('cancel', error, this.operatorTimeoutMs, ids);
      if (decision === 'retry') continue;
      if (decision === 'abort') return { stop: unknown ? 'abortedUnknown' : 'aborted', error } as Stop;
      const by = decision.by ? ` by ${decision.by}` : '';
      if (decision.cancelled) {
        return this.settledCancelled(rec.attempts, { ...seen, note: `confirmed cancelled at the provider${by}` });
      }
      const message = `confirmed NOT cancelled at the provider${by}${decision.note ? ` (${decision.note})` : ''}`;
      return {
        stop: r.kind === 'rejected' ? 'rejected' : 'transient',
        error: { ...error, message: `${error.message}; ${message}` },
      } as Stop;
    }
  }

  /** The provider's side is known cancelled (read back, or confirmed): the pivot is done. */
  private settledCancelled(attempt: number, seen: ReadBack): Cancelled {
    this.tracker.finishStep('cancel', 'done', `settled: ${seen.note}`);
    return { orderId: this.input.orderId, status: 'CANCELLED', providerMessage: seen.note, attempt };
  }

  /** FINALIZING, NOTIFYING: refund, restock, mark cancelled, each retried forward (after the pivot nothing is undone). */
  private async finalize(): Promise<CancelOrderResult> {
    const steps = this.finalSteps();
    for (const [i, name] of steps.entries()) {
      if (this.desk.abort) return this.abortAfterPivot(steps.slice(i));
      this.tracker.enter(name === 'markCancelled' ? 'NOTIFYING' : 'FINALIZING', `${name} at the merchant`);
      const done = await this.runStepAskingOperator(name, this.policies.merchant, () =>
        this.callMerchant(name, STEP_EVENT[name], name === 'markCancelled' ? this.completedData() : {}),
      );
      if (isStop(done)) return this.abortAfterPivot(steps.slice(i));
    }
    return this.finish('CANCELLED', `cancelled at ${this.input.provider}; merchant told`);
  }

  /** The steps after the pivot: refund only when asked and the order is known to be paid; restock unless declined. */
  private finalSteps(): FinalStep[] {
    const opts = this.input.options ?? {};
    const steps: FinalStep[] = [];
    const byProvider = (step: FinalStep) => this.doneByProvider.includes(step);
    for (const step of this.doneByProvider) this.tracker.log(`${step} done by ${this.input.provider} with the cancel`);
    if (opts.refund !== false && this.paid === true && !byProvider('refund')) steps.push('refund');
    else if (!byProvider('refund')) {
      this.tracker.log(
        opts.refund === false ? 'refund not requested (options.refund=false)' : 'no refund: order not known to be paid',
      );
    }
    if (opts.restock !== false && !byProvider('restock')) steps.push('restock');
    steps.push('markCancelled');
    return steps;
  }

  private completedData(): Record<string, unknown> {
    const notifyCustomer = this.input.options?.notifyCustomer ?? true;
    return { outcome: 'CANCELLED', notifyCustomer, reason: this.input.reason };
  }

  /**
   * Run a step to success or a stop. A failure an operator can fix (a transient one; before the pivot an ambiguous
   * refusal; after the pivot any) waits in AWAITING_OPERATOR for retry (run again, fresh budget) or abort.
   */
  private async runStepAskingOperator<T extends { attempt: number }>(
    name: StepName,
    budget: RetrySpec,
    call: () => Promise<T>,
  ): Promise<T | Stop> {
    const rec = this.tracker.record(name);
    for (;;) {
      if (this.desk.abort && !this.pastPivot) return { stop: 'aborted' };
      rec.status = 'running';
      const r = await runStep(call, budget.maximumAttempts, (scope) => {
        this.desk.cancelCurrentStep = scope ? () => scope.cancel() : undefined;
      });
      rec.attempts += r.attempts;
      if (r.ok) {
        this.tracker.finishStep(name, 'done');
        return r.value;
      }
      if (r.kind === 'cancelled') {
        this.tracker.finishStep(name, 'failed', 'stopped by abort');
        return { stop: 'aborted' };
      }
      this.tracker.finishStep(name, 'failed', undefined, r.error);
      // A refusal after earlier failed attempts is ambiguous: one of them may have cancelled (the answer cannot tell).
      const ambiguous = name === 'cancel' && (r.kind === 'response' || (r.kind === 'rejected' && rec.attempts > 1));
      const operatorCanFix = r.kind === 'transient' || this.pastPivot || ambiguous;
      if (!operatorCanFix) return { stop: r.kind, error: r.error };
      const notice = `needs_attention.${++this.attentionNotices}`;
      void this.notifyMerchant(NEEDS_ATTENTION_EVENT, { step: name, error: r.error }, notice);
      const decision = await this.desk.waitForOperator(name, r.error, this.operatorTimeoutMs);
      if (decision === 'abort') return { stop: 'aborted', error: r.error };
    }
  }

  private get operatorTimeoutMs(): number {
    return durationMs(this.input.options?.operatorTimeout ?? DEFAULT_OPERATOR_TIMEOUT);
  }

  /** Before the pivot: undo what was done (reverse order, not cancellable), then end. */
  private async stopBeforePivot(stop: Stop): Promise<CancelOrderResult> {
    if (stop.stop === 'abortedUnknown') return this.abortUnknown(stop.error);
    await this.compensate();
    const err = stop.error;
    switch (stop.stop) {
      case 'aborted': {
        const by = this.desk.abort?.by ? ` by ${this.desk.abort.by}` : '';
        return this.end('ABORTED', `aborted${by}: ${this.desk.abort?.reason ?? 'abort'}`, err);
      }
      case 'rejected':
        return this.end('REJECTED', `${this.input.provider} refused the cancel: ${err?.message}`, err);
      case 'merchantRefused':
        return this.end('REJECTED', `merchant refused the hold: ${err?.message}`, err);
      default:
        return this.end('FAILED', `${err?.type}: ${err?.message}`, err);
    }
  }

  /**
   * An abort while the provider's side is unknown: the hold stays (releasing it could ship a cancelled order), and the
   * merchant is told that the provider state is unknown, not that the cancellation was aborted.
   */
  private async abortUnknown(error?: StepError): Promise<CancelOrderResult> {
    const by = this.desk.abort?.by ? ` by ${this.desk.abort.by}` : '';
    const message =
      `aborted${by} while the provider state was unknown: ${this.desk.abort?.reason ?? 'abort'}; ` +
      `the hold stays: check the order at ${this.input.provider} and release or finish it by hand`;
    this.tracker.providerCancelled = 'unknown';
    this.tracker.finishStep('releaseHold', 'skipped', 'provider state unknown: the hold stays');
    this.early.ended('ABORTED', message);
    this.tracker.enter('NOTIFYING', 'notifying the merchant: provider state unknown');
    const data = {
      step: 'cancel',
      outcome: 'ABORTED',
      providerState: 'unknown',
      message,
      error,
      providerCancelled: 'unknown',
    };
    await this.notifyMerchant(NEEDS_ATTENTION_EVENT, data, 'outcome');
    return this.finish('ABORTED', message, error, 'unknown');
  }

  /** An abort after the pivot: what is left is skipped (the provider's cancel cannot be undone). */
  private async abortAfterPivot(skipped: StepName[]): Promise<CancelOrderResult> {
    for (const name of skipped) this.tracker.finishStep(name, 'skipped', 'skipped by abort after the provider cancel');
    const why = this.desk.abort?.reason ?? 'abort';
    const message = `aborted after the provider cancelled the order (cannot be undone): ${why}; skipped: ${skipped.join(', ')}`;
    return this.end('ABORTED', message, undefined, { skipped });
  }

  /** COMPENSATING: run the registered undos in reverse; a failing undo is recorded and the rest still run. */
  private async compensate(): Promise<void> {
    if (this.compensations.length === 0) return;
    this.tracker.enter('COMPENSATING', 'undoing what was done');
    for (const undo of this.compensations.reverse()) {
      const rec = this.tracker.record(undo.name);
      try {
        const done = await undo.run();
        rec.attempts += done?.attempt ?? 0;
        this.tracker.finishStep(undo.name, 'compensated');
      } catch (err) {
        const error = { type: ErrorType.CompensationFailed, message: String((err as Error).message ?? err) };
        rec.lastError = error;
        this.tracker.finishStep(undo.name, 'failed', 'undo failed; see lastError', error);
      }
    }
    this.compensations.length = 0;
  }

  /** Tell the merchant the outcome, then complete the workflow with it. */
  private async end(
    outcome: Outcome,
    message: string,
    error?: StepError,
    extra: Record<string, unknown> = {},
  ): Promise<CancelOrderResult> {
    this.early.ended(outcome, message); // the early answer does not wait for the notification
    this.tracker.enter('NOTIFYING', `notifying the merchant: ${outcome}`);
    const data = { outcome, message, error, providerCancelled: this.pastPivot, ...extra };
    await this.notifyMerchant(OUTCOME_EVENT[outcome], data, 'outcome');
    return this.finish(outcome, message, error);
  }

  private finish(
    outcome: Outcome,
    message: string,
    error?: StepError,
    providerCancelled: ProviderCancelled = this.pastPivot,
  ): CancelOrderResult {
    this.early.ended(outcome, message);
    this.tracker.outcome = outcome;
    this.tracker.enter(outcome, message);
    const { provider, orderId, bulkId } = this.input;
    return {
      outcome,
      provider,
      orderId,
      attempts: this.tracker.cancelAttempts,
      steps: this.tracker.steps,
      providerCancelled,
      message,
      error,
      bulkId,
    };
  }

  /** Best-effort notification: a failure is recorded, never blocks the outcome. */
  private async notifyMerchant(type: MerchantEventType, data: Record<string, unknown>, key: string): Promise<void> {
    try {
      await this.callMerchant('notify', type, data, `notify.${key}`);
    } catch (err) {
      this.tracker.log(`notification ${type} failed: ${(err as Error).message}`);
    }
  }

  /** One merchant call (a local activity, the merchant budget); its idempotency key is `<workflowId>/<firstRunId>/<key>`. */
  private callMerchant(step: HookStep, type: MerchantEventType, data: Record<string, unknown>, key: string = step) {
    const summary = step === 'notify' ? `Notify merchant: ${type}` : `Merchant: ${type}`;
    const { workflowId } = this;
    const { provider, orderId } = this.input;
    const call = { step, type, key: this.key(key), workflowId, provider, orderId, occurredAt: now(), data };
    return localActs.merchantHook.executeWithOptions(localCallOptions(summary, this.policies.merchant), [call]);
  }
}
