import { upsertSearchAttributes } from '@temporalio/workflow';
import {
  type BatchOrderResult,
  type CancelStatus,
  type Outcome,
  type StepError,
  type StepName,
  CancelBulkId,
  CancelProvider,
  CancelState,
  providerDisplayName,
  type ProviderId,
} from '../../contract/lean';
import { now, TrackerBase } from '../shared/tracker-base';

/** What an operator sees of one batch: state, per-outcome counts, the operator prompt. */
export class BatchTracker extends TrackerBase {
  private readonly results = new Map<string, BatchOrderResult>();

  constructor(
    private readonly provider: ProviderId,
    private readonly bulkId: string,
    private readonly batchNo: number,
    private readonly size: number,
  ) {
    super();
    upsertSearchAttributes({
      [CancelProvider.name]: [provider],
      [CancelBulkId.name]: [bulkId],
      [CancelState.name]: [this.state],
    });
    this.log(`batch of ${size} order(s) received`);
  }

  /** Add one batch call's attempts to a step's record (one record per step for the whole batch). */
  addAttempts(name: StepName, attempts: number, error?: StepError): void {
    const rec = this.record(name);
    rec.attempts += attempts;
    rec.status = error ? 'failed' : 'done';
    rec.endedAt = now();
    if (error) rec.lastError = this.lastError = error;
  }

  /** An order's outcome. */
  recordResult(r: BatchOrderResult): void {
    this.results.set(r.orderId, r);
  }

  /** The batch ended: the state becomes DONE (every order has its own outcome in the result). */
  done(outcome: Outcome): void {
    this.outcome = outcome;
    upsertSearchAttributes({ [CancelState.name]: ['DONE'] });
    this.log(`batch done: ${this.counts()}`);
  }

  protected subject(): Pick<CancelStatus, 'provider' | 'orderId' | 'providerCancelled'> {
    return {
      provider: this.provider,
      orderId: `batch ${this.batchNo} (${this.size} orders)`,
      providerCancelled: [...this.results.values()].some((r) => r.providerCancelled),
    };
  }

  protected headline(): string[] {
    return [
      `**State:** \`${this.outcome ? 'DONE' : this.state}\``,
      `**Batch:** ${this.batchNo} of bulk \`${this.bulkId}\` — ${this.size} ${providerDisplayName(this.provider)} order(s); ended: ${this.counts()}`,
    ];
  }

  protected promptEffects(step: StepName, abortAllowed: boolean): string {
    return (
      `**You can:** signal \`retry\` to run \`${step}\` again for the orders it failed on, or \`abort\` with ` +
      `\`{"reason": "..."}\` — ${abortAllowed ? 'holds are released and nothing more is cancelled' : 'orders already cancelled skip what is left'}.`
    );
  }

  private counts(): string {
    const by = new Map<string, number>();
    for (const r of this.results.values()) by.set(r.outcome, (by.get(r.outcome) ?? 0) + 1);
    return [...by].map(([k, v]) => `${k} ${v}`).join(', ') || 'none yet';
  }
}
