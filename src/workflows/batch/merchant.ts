import { type CancellationScope, workflowInfo } from '@temporalio/workflow';
import { NEEDS_ATTENTION_EVENT, type StepError, type StepName } from '../../contract/lean';
import type { Decision, OperatorDesk } from '../shared/operator-desk';
import { attentionData, attentionKey } from '../shared/rules';
import {
  callError,
  runHookBatch,
  type Entry,
  type HookBatchContext,
  type HookBatchRun,
  type HookJob,
} from './hook-batch';
import type { BatchTracker } from './tracker';

/** Where the batch's merchant calls come from (read at each call: the merchant budget arrives with eligibility). */
export type MerchantCallsContext = Omit<HookBatchContext, 'firstRunId'>;

/**
 * The batch's merchant calls: one `merchantHookBatch` per step for its orders, the best-effort notifications, and
 * the needs_attention notice each time the batch waits for an operator.
 */
export class BatchMerchant {
  private notices = 0;

  constructor(
    private readonly context: () => MerchantCallsContext,
    private readonly tracker: BatchTracker,
    private readonly desk: OperatorDesk,
    private readonly timeoutMs: () => number,
  ) {}

  /** Tell the affected orders' merchant that a step waits for an operator, then wait for the operator. */
  async askOperator(step: StepName, error: StepError, affected: Entry[], unknown: string[] = []): Promise<Decision> {
    const n = ++this.notices;
    const batch = { batch: this.context().batchNo };
    const said = (e: Entry) => attentionData(step, error, unknown.includes(e.order.orderId), batch);
    void this.notify(
      affected.map((e) => ({ e, step: 'notify', type: NEEDS_ATTENTION_EVENT, data: said(e) })),
      attentionKey(n),
    );
    return this.desk.waitForOperator(step, error, this.timeoutMs(), unknown);
  }

  /** Best-effort notifications (one batch): a failure is recorded, never blocks the outcome. */
  async notify(jobs: HookJob[], key: string): Promise<void> {
    if (jobs.length === 0) return;
    const r = await this.hooks(jobs.map((j) => ({ ...j, key: `notify.${key}` })));
    this.logFailures(r, jobs, (j) => `notification ${j.type} for ${j.e.order.orderId} failed`);
  }

  /** Log each call of a best-effort batch that did not go through (refused, or the activity gave up). */
  logFailures(r: HookBatchRun, jobs: HookJob[], what: (job: HookJob) => string): void {
    r.results.forEach((_, i) => {
      const error = callError(r, i);
      if (error) this.tracker.log(`${what(jobs[i])}: ${error.message}`);
    });
  }

  /** One `merchantHookBatch` for these orders' calls; idempotency keys `<batchWorkflowId>/<firstRunId>/<orderId>/<step>`. */
  hooks(jobs: HookJob[], onScope?: (scope: CancellationScope | undefined) => void): Promise<HookBatchRun> {
    return runHookBatch({ ...this.context(), firstRunId: workflowInfo().firstExecutionRunId }, jobs, onScope);
  }
}
