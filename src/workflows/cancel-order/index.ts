import { patched, workflowInfo, setWorkflowOptions } from '@temporalio/workflow';
import { versioned } from '../versioning';
import {
  plainCheckCancelOrderInput,
  DEFAULT_POLICIES,
  ELIGIBILITY_RETRY,
  ErrorType,
  idempotencyKey,
  LOOKUP_PROVIDERS,
  NEEDS_ATTENTION_EVENT,
  asyncCancelOf,
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
  type StepError,
  type StepName,
} from '../../contract/lean';
import { acts, callOptions, pivotOptions, localActs, localCallOptions } from '../shared/activity-options';
import { OperatorDesk } from '../shared/operator-desk';
import { tellBulkParentEnded } from '../shared/bulk-parent';
import { PROVIDER_EVIDENCE_PATCH } from '../shared/evidence';
import {
  attentionData,
  attentionKey,
  markCancelledData,
  operatorTimeoutMs,
  OUTCOME_MESSAGE,
  outcomeData,
  outcomeEvent,
  planFinalSteps,
} from '../shared/rules';
import { runSaga, type Saga } from '../shared/saga';
import { now } from '../shared/tracker-base';
import { EarlyAnswer } from './early-answer';
import { watchRetries } from './retry-notes';
import { Tracker } from './tracker';
import { cancelAndAwaitJob } from './async-cancel';
import { runStepAskingOperator } from './ask-operator';
import { isStop, runPivot, type PivotContext, type Stop } from './pivot';
import { FINAL_STEPS_TOGETHER_PATCH, runFinalSteps, type FinalContext } from './finalize';

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
  /** What the step runner (ask-operator.ts) and the pivot (pivot.ts) use of this saga. */
  private readonly ctx: PivotContext;
  /**
   * The steps after the pivot run together (one activation) and the start's search attributes are not set again;
   * false in histories from before.
   */
  private readonly together: boolean;

  constructor(private readonly input: CancelOrderInput) {
    this.providerQueue = patched(PROVIDER_TASK_QUEUES_PATCH)
      ? providerTaskQueue(workflowInfo().taskQueue, input.provider)
      : undefined;
    this.together = patched(FINAL_STEPS_TOGETHER_PATCH);
    this.tracker = new Tracker(input, this.together);
    this.desk = new OperatorDesk(this.tracker, () => this.pastPivot);
    this.early = new EarlyAnswer(this.tracker);
    watchRetries(this.tracker);
    this.ctx = {
      input,
      tracker: this.tracker,
      desk: this.desk,
      providerQueue: this.providerQueue,
      get operatorTimeoutMs() {
        return operatorTimeoutMs(input.options);
      },
      pastPivot: () => this.pastPivot,
      tellAttention: (step, error, unknown) => this.tellAttention(step, error, unknown),
    };
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
    const prep = await runStepAskingOperator(this.ctx, 'eligibility', ELIGIBILITY_RETRY, () =>
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
    const held = await runStepAskingOperator(this.ctx, 'hold', this.policies.merchant, () =>
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
      ? await runPivot(this.ctx, spec, call)
      : await runStepAskingOperator(this.ctx, 'cancel', spec, call);
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
   * FINALIZING, NOTIFYING: refund, restock, mark cancelled, each retried forward (after the pivot nothing is undone).
   * Together (one local activity) when more than one runs; what a failure leaves goes on step by step from there.
   */
  private async finalize(): Promise<CancelOrderResult> {
    const skipped = await runFinalSteps(this.finalCtx(), this.finalSteps(), this.together);
    if (skipped) return this.abortAfterPivot(skipped);
    return this.finish('CANCELLED', `cancelled at ${this.input.provider}; merchant told`);
  }

  private finalCtx(): FinalContext {
    const { input } = this;
    return {
      step: this.ctx,
      policies: this.policies,
      hookCall: (step, type, data) => this.hookCall(step, type, data),
      callMerchant: (step, type, data) => this.callMerchant(step, type, data),
      stepData: (name) => (name === 'markCancelled' ? markCancelledData(input.options, input.reason) : {}),
    };
  }

  /** The steps after the pivot (the shared rules), each step left out said in the timeline. */
  private finalSteps(): FinalStep[] {
    const plan = planFinalSteps(this.input.options, this.paid, this.doneByProvider, this.input.provider);
    for (const note of plan.notes) this.tracker.log(note);
    return plan.steps;
  }

  /** A step waits for an operator: tell the merchant (best effort, not awaited), the run's next needs_attention. */
  private tellAttention(step: StepName, error: StepError, unknown = false): void {
    const notice = attentionKey(++this.attentionNotices);
    void this.notifyMerchant(NEEDS_ATTENTION_EVENT, attentionData(step, error, unknown), notice);
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
        return this.end('REJECTED', OUTCOME_MESSAGE.providerRefused(this.input.provider, err?.message), err);
      case 'merchantRefused':
        return this.end('REJECTED', OUTCOME_MESSAGE.merchantRefusedHold(err?.message), err);
      default:
        return this.end('FAILED', `${err?.type}: ${err?.message}`, err);
    }
  }

  /**
   * An abort while the provider's side is unknown: the hold stays (releasing it could ship a cancelled order), and the
   * merchant is told that the provider state is unknown, not that the cancellation was aborted.
   */
  private async abortUnknown(error?: StepError): Promise<CancelOrderResult> {
    const why = this.desk.abort?.reason ?? 'abort';
    const message = OUTCOME_MESSAGE.abortedUnknown(why, this.input.provider, this.desk.abort?.by);
    this.tracker.providerCancelled = 'unknown';
    this.tracker.finishStep('releaseHold', 'skipped', 'provider state unknown: the hold stays');
    this.early.ended('ABORTED', message);
    this.tracker.enter('NOTIFYING', 'notifying the merchant: provider state unknown');
    const data = outcomeData({ outcome: 'ABORTED', message, error, providerCancelled: 'unknown' });
    await this.notifyMerchant(outcomeEvent('ABORTED', 'unknown'), data, 'outcome');
    return this.finish('ABORTED', message, error, 'unknown');
  }

  /** An abort after the pivot: what is left is skipped (the provider's cancel cannot be undone). */
  private async abortAfterPivot(skipped: StepName[]): Promise<CancelOrderResult> {
    for (const name of skipped) this.tracker.finishStep(name, 'skipped', 'skipped by abort after the provider cancel');
    const message = OUTCOME_MESSAGE.abortedAfterPivot(this.desk.abort?.reason ?? 'abort', skipped);
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
    const data = outcomeData({ outcome, message, error, providerCancelled: this.pastPivot, extra });
    await this.notifyMerchant(outcomeEvent(outcome, this.pastPivot), data, 'outcome');
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
    const call = this.hookCall(step, type, data, key);
    return localActs.merchantHook.executeWithOptions(localCallOptions(summary, this.policies.merchant), [call]);
  }

  /** What a merchant call sends: the step's event, workflow time, the key that makes a repeat harmless. */
  private hookCall(step: HookStep, type: MerchantEventType, data: Record<string, unknown>, key: string = step) {
    const { workflowId } = this;
    const { provider, orderId } = this.input;
    return { step, type, key: this.key(key), workflowId, provider, orderId, occurredAt: now(), data };
  }
}
