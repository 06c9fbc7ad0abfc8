import { ApplicationFailure, CancellationScope, workflowInfo } from '@temporalio/workflow';
import {
  DEFAULT_POLICIES,
  type Policies,
  type RetrySpec,
  checkCancelOrderInput,
  durationMs,
  type CancelOrderInput,
  type CancelOrderResult,
  type Outcome,
  type State,
  type StepError,
  type StepName,
} from '../../contract';
import type { MerchantEventType } from '../../merchant/port';
import { acts, ELIGIBILITY_RETRY, localActs, localCallOptions, pivotOptions } from '../shared/activity-options';
import { OperatorDesk } from '../shared/operator-desk';
import { runStep, type FailureKind } from '../shared/run-step';
import { Tracker } from './tracker';

const DEFAULT_OPERATOR_TIMEOUT = '72h';

type Stop = { stop: FailureKind | 'aborted'; error?: StepError };
const isStop = (v: unknown): v is Stop => typeof v === 'object' && v !== null && 'stop' in v;

/** Cancel one order at its provider: eligibility, hold, cancel (the pivot), finalize, notify. */
export async function cancelOrder(raw: CancelOrderInput): Promise<CancelOrderResult> {
  const checked = checkCancelOrderInput(raw);
  if (!checked.ok) {
    throw ApplicationFailure.create({
      type: 'InvalidRequestError',
      message: `invalid cancelOrder input: ${checked.error}`,
      nonRetryable: true,
    });
  }
  const saga = new CancelSaga(checked.value);
  // A Temporal cancellation (UI "Cancel") acts like the abort signal; the saga itself runs to a business outcome.
  CancellationScope.current().cancelRequested.catch(() => saga.desk.abortFromTemporal());
  return CancellationScope.nonCancellable(() => saga.run());
}

class CancelSaga {
  readonly tracker: Tracker;
  readonly desk: OperatorDesk;
  private pastPivot = false;
  private policies: Policies = DEFAULT_POLICIES;
  private readonly compensations: { name: StepName; run: () => Promise<{ attempt: number } | undefined> }[] = [];
  private readonly wfId = workflowInfo().workflowId;
  private notices = 0;

  constructor(private readonly input: CancelOrderInput) {
    this.tracker = new Tracker(input);
    this.desk = new OperatorDesk(this.tracker, () => this.pastPivot);
  }

  async run(): Promise<CancelOrderResult> {
    const { provider, orderId, snapshot } = this.input;
    const prep = await this.execute(
      'eligibility',
      `Check ${provider} order ${orderId} can be cancelled`,
      ELIGIBILITY_RETRY,
      () =>
        localActs.prepareCancellation.executeWithOptions(
          localCallOptions(`Eligibility of ${provider} ${orderId}`, ELIGIBILITY_RETRY),
          [{ provider, orderId, snapshot }],
        ),
    );
    if (isStop(prep)) {
      if (prep.stop === 'rejected')
        return this.end('NOT_ELIGIBLE', `provider refused the lookup: ${prep.error?.message}`, prep.error);
      return this.stopBeforePivot(prep);
    }
    this.policies = prep.policies;
    const seen = prep.status ? `status ${prep.status} (from ${prep.source})` : 'no status known; left to the provider';
    if (prep.verdict === 'ALREADY_CANCELLED') return this.end('ALREADY_CANCELLED', `already cancelled: ${seen}`);
    if (prep.verdict === 'NOT_ELIGIBLE') return this.end('NOT_ELIGIBLE', `cannot be cancelled any more: ${seen}`);
    this.tracker.log(`eligible: ${seen}`);

    // HOLDING: the undo is registered before the step runs.
    let holdRefused = false;
    this.compensations.push({
      name: 'releaseHold',
      run: () =>
        holdRefused ? Promise.resolve(undefined) : this.hook('releaseHold', 'cancellation.hold_released', {}),
    });
    this.tracker.enter('HOLDING', 'asking the merchant to hold the order');
    const held = await this.execute('hold', 'Hold at merchant', this.policies.merchant, () =>
      this.hookCall('hold', 'cancellation.hold_requested', { reason: this.input.reason }),
    );
    if (isStop(held)) {
      holdRefused = held.stop === 'merchantRefused';
      return this.stopBeforePivot(held);
    }

    // CANCELLING_AT_PROVIDER: the pivot.
    if (this.desk.abort) return this.stopBeforePivot({ stop: 'aborted' });
    this.tracker.enter('CANCELLING_AT_PROVIDER', `cancelling at ${provider}`);
    const spec = this.policies.provider[provider];
    const cancelled = await this.execute('cancel', `Cancel at ${provider}`, spec, () =>
      acts.cancelAtProvider.executeWithOptions(
        pivotOptions(`Cancel ${provider} order ${orderId} (pivot)`, spec, this.policies.providerCallTimeoutMs),
        [{ provider, orderId, reason: this.input.reason, idempotencyKey: `${this.wfId}/cancel` }],
      ),
    );
    if (isStop(cancelled)) return this.stopBeforePivot(cancelled);
    this.pastPivot = true;
    this.tracker.providerCancelled = true;
    this.compensations.length = 0;
    this.tracker.log(
      `provider answered ${cancelled.status}${cancelled.providerMessage ? `: ${cancelled.providerMessage}` : ''}`,
    );
    return this.finalize(prep.paid);
  }

  /** After the pivot nothing is undone: refund, restock, mark cancelled, each retried forward. */
  private async finalize(paid: boolean | undefined): Promise<CancelOrderResult> {
    const opts = this.input.options ?? {};
    const plan: { name: StepName; state: State; type: MerchantEventType; data: Record<string, unknown> }[] = [];
    if (opts.refund !== false && paid === true) {
      plan.push({ name: 'refund', state: 'FINALIZING', type: 'cancellation.refund_requested', data: {} });
    } else {
      this.tracker.log(
        opts.refund === false ? 'refund not requested (options.refund=false)' : 'no refund: order not known to be paid',
      );
    }
    if (opts.restock !== false)
      plan.push({ name: 'restock', state: 'FINALIZING', type: 'cancellation.restock_requested', data: {} });
    plan.push({
      name: 'markCancelled',
      state: 'NOTIFYING',
      type: 'cancellation.completed',
      data: { outcome: 'CANCELLED', notifyCustomer: opts.notifyCustomer ?? true, reason: this.input.reason },
    });
    for (const [i, step] of plan.entries()) {
      if (this.desk.abort) return this.abortAfterPivot(plan.slice(i).map((s) => s.name));
      this.tracker.enter(step.state, `${step.name} at the merchant`);
      const r = await this.execute(step.name, step.name, this.policies.merchant, () =>
        this.hookCall(step.name as 'refund', step.type, step.data),
      );
      if (isStop(r)) return this.abortAfterPivot(plan.slice(i).map((s) => s.name));
    }
    return this.finish('CANCELLED', `cancelled at ${this.input.provider}; merchant told`);
  }

  /**
   * Run a step; failures that an operator can fix (transient ones, and after the pivot any) wait in
   * AWAITING_OPERATOR for retry or abort. Returns the value, or why it stopped.
   */
  private async execute<T extends { attempt: number }>(
    name: StepName,
    _label: string,
    spec: RetrySpec,
    call: () => Promise<T>,
  ): Promise<T | Stop> {
    const rec = this.tracker.step(name);
    for (;;) {
      if (this.desk.abort && !this.pastPivot) return { stop: 'aborted' };
      rec.status = 'running';
      const r = await runStep(call, spec.maximumAttempts, (scope) => {
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
      // A refusal after earlier failed attempts is ambiguous: one of them may have cancelled (Fincart cannot tell).
      const ambiguous = name === 'cancel' && (r.kind === 'response' || (r.kind === 'rejected' && rec.attempts > 1));
      const operatorCanFix = r.kind === 'transient' || this.pastPivot || ambiguous;
      if (!operatorCanFix) return { stop: r.kind, error: r.error };
      void this.notify(
        'cancellation.needs_attention',
        { step: name, error: r.error },
        `needs_attention.${++this.notices}`,
      );
      const decision = await this.desk.await(
        name,
        r.error,
        durationMs(this.input.options?.operatorTimeout ?? DEFAULT_OPERATOR_TIMEOUT),
      );
      if (decision === 'abort') return { stop: 'aborted', error: r.error };
    }
  }

  /** Before the pivot: undo what was done (reverse order, not cancellable), then end. */
  private async stopBeforePivot(stop: Stop): Promise<CancelOrderResult> {
    await this.compensate();
    const err = stop.error;
    switch (stop.stop) {
      case 'aborted':
        return this.end(
          'ABORTED',
          `aborted${this.desk.abort?.by ? ` by ${this.desk.abort.by}` : ''}: ${this.desk.abort?.reason ?? 'abort'}`,
          err,
        );
      case 'rejected':
        return this.end('REJECTED', `${this.input.provider} refused the cancel: ${err?.message}`, err);
      case 'merchantRefused':
        return this.end('REJECTED', `merchant refused the hold: ${err?.message}`, err);
      default:
        return this.end('FAILED', `${err?.type}: ${err?.message}`, err);
    }
  }

  private async abortAfterPivot(skipped: StepName[]): Promise<CancelOrderResult> {
    for (const name of skipped) this.tracker.finishStep(name, 'skipped', 'skipped by abort after the provider cancel');
    const why = this.desk.abort?.reason ?? 'abort';
    return this.end(
      'ABORTED',
      `aborted after the provider cancelled the order (cannot be undone): ${why}; skipped: ${skipped.join(', ')}`,
      undefined,
      { skipped },
    );
  }

  private async compensate(): Promise<void> {
    if (this.compensations.length === 0) return;
    this.tracker.enter('COMPENSATING', 'undoing what was done');
    for (const c of this.compensations.reverse()) {
      const rec = this.tracker.step(c.name);
      try {
        const done = await c.run();
        rec.attempts += done?.attempt ?? 0;
        this.tracker.finishStep(c.name, 'compensated');
      } catch (err) {
        // A failing undo is recorded and the rest still run.
        rec.lastError = { type: 'CompensationFailed', message: String((err as Error).message ?? err) };
        this.tracker.finishStep(c.name, 'failed', 'undo failed; see lastError', rec.lastError);
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
    const type: MerchantEventType =
      outcome === 'ALREADY_CANCELLED' || outcome === 'CANCELLED'
        ? 'cancellation.completed'
        : outcome === 'NOT_ELIGIBLE'
          ? 'cancellation.not_eligible'
          : outcome === 'ABORTED'
            ? 'cancellation.aborted'
            : 'cancellation.rejected';
    this.tracker.enter('NOTIFYING', `notifying the merchant: ${outcome}`);
    await this.notify(type, { outcome, message, error, providerCancelled: this.pastPivot, ...extra }, 'outcome');
    return this.finish(outcome, message, error);
  }

  private finish(outcome: Outcome, message: string, error?: StepError): CancelOrderResult {
    this.tracker.outcome = outcome;
    this.tracker.enter(outcome, message);
    const { provider, orderId, bulkId } = this.input;
    const attempts = this.tracker.steps.find((s) => s.name === 'cancel')?.attempts ?? 0;
    return {
      outcome,
      provider,
      orderId,
      attempts,
      steps: this.tracker.steps,
      providerCancelled: this.pastPivot,
      message,
      error,
      bulkId,
    };
  }

  /** Best-effort notification: a failure is recorded, never blocks the outcome. */
  private async notify(type: MerchantEventType, data: Record<string, unknown>, key: string): Promise<void> {
    try {
      await localActs.merchantHook.executeWithOptions(
        localCallOptions(`Notify merchant: ${type}`, this.policies.merchant),
        [this.call('notify', type, data, `notify.${key}`)],
      );
    } catch (err) {
      this.tracker.log(`notification ${type} failed: ${(err as Error).message}`);
    }
  }

  private hookCall(
    step: 'hold' | 'refund' | 'restock' | 'markCancelled',
    type: MerchantEventType,
    data: Record<string, unknown>,
  ) {
    return localActs.merchantHook.executeWithOptions(localCallOptions(`Merchant: ${type}`, this.policies.merchant), [
      this.call(step, type, data, step),
    ]);
  }

  private async hook(step: 'releaseHold', type: MerchantEventType, data: Record<string, unknown>) {
    return localActs.merchantHook.executeWithOptions(localCallOptions(`Merchant: ${type}`, this.policies.merchant), [
      this.call(step, type, data, step),
    ]);
  }

  private call(step: StepName, type: MerchantEventType, data: Record<string, unknown>, key: string) {
    const { provider, orderId } = this.input;
    return {
      step: step as 'notify',
      type,
      key: `${this.wfId}/${key}`,
      workflowId: this.wfId,
      provider,
      orderId,
      occurredAt: new Date().toISOString(),
      data,
    };
  }
}
