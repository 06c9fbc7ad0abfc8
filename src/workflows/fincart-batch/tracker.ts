import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  type BatchOrderResult,
  type CancelStatus,
  type Outcome,
  type State,
  type StepError,
  type StepName,
  type StepRecord,
  type TimelineEntry,
  CancelBulkId,
  CancelProvider,
  CancelState,
} from '../../contract';
import { now } from '../cancel-order/tracker';

/** What an operator sees of one Fincart batch: state, per-outcome counts, the operator prompt (a DeskTracker). */
export class BatchTracker {
  state: State = 'CHECKING_ELIGIBILITY';
  outcome?: Outcome;
  awaiting?: CancelStatus['awaiting'] & { timeoutAt: string };
  lastError?: StepError;
  readonly steps: StepRecord[] = [];
  readonly timeline: TimelineEntry[] = [];
  private readonly results = new Map<string, BatchOrderResult>();

  constructor(
    private readonly bulkId: string,
    private readonly batchNo: number,
    private readonly size: number,
  ) {
    upsertSearchAttributes({
      [CancelProvider.name]: ['fincart'],
      [CancelBulkId.name]: [bulkId],
      [CancelState.name]: [this.state],
    });
    this.log(`batch of ${size} order(s) received`);
  }

  enter(state: State, message: string): void {
    if (state !== this.state) {
      this.state = state;
      upsertSearchAttributes({ [CancelState.name]: [state] });
    }
    this.log(message);
  }

  log(message: string): void {
    this.timeline.push({ at: now(), state: this.state, message });
    if (this.timeline.length > 200) this.timeline.splice(1, this.timeline.length - 200);
    this.render();
  }

  /** Add attempts to a step's record (one record per step for the whole batch). */
  step(name: StepName, attempts: number, error?: StepError): void {
    let rec = this.steps.find((s) => s.name === name);
    if (!rec) {
      rec = { name, status: 'running', attempts: 0, startedAt: now() };
      this.steps.push(rec);
    }
    rec.attempts += attempts;
    rec.status = error ? 'failed' : 'done';
    rec.endedAt = now();
    if (error) rec.lastError = this.lastError = error;
  }

  record(r: BatchOrderResult): void {
    this.results.set(r.orderId, r);
  }

  /** The batch ended: the state becomes DONE (every order has its own outcome in the result). */
  done(outcome: Outcome): void {
    this.outcome = outcome;
    upsertSearchAttributes({ [CancelState.name]: ['DONE'] });
    this.log(`batch done: ${this.counts()}`);
  }

  view(): CancelStatus {
    const { awaiting } = this;
    return {
      workflowId: workflowInfo().workflowId,
      provider: 'fincart',
      orderId: `batch ${this.batchNo} (${this.size} orders)`,
      state: this.state,
      outcome: this.outcome,
      steps: this.steps,
      timeline: this.timeline,
      awaiting: awaiting && {
        step: awaiting.step,
        since: awaiting.since,
        error: awaiting.error,
        abortAllowed: awaiting.abortAllowed,
      },
      providerCancelled: [...this.results.values()].some((r) => r.providerCancelled),
    };
  }

  private counts(): string {
    const by = new Map<string, number>();
    for (const r of this.results.values()) by.set(r.outcome, (by.get(r.outcome) ?? 0) + 1);
    return [...by].map(([k, v]) => `${k} ${v}`).join(', ') || 'none yet';
  }

  render(): void {
    const lines = [
      `**State:** \`${this.outcome ? 'DONE' : this.state}\``,
      `**Batch:** ${this.batchNo} of bulk \`${this.bulkId}\` — ${this.size} Fincart order(s); ended: ${this.counts()}`,
    ];
    if (this.lastError) lines.push(`**Last error:** \`${this.lastError.type}\` — ${this.lastError.message}`);
    if (this.awaiting) {
      const { step, timeoutAt, abortAllowed } = this.awaiting;
      lines.push(
        `**Waiting for an operator** on step \`${step}\` (auto-abort at ${timeoutAt}).`,
        `**You can:** signal \`retry\` to run \`${step}\` again for the orders it failed on, or \`abort\` with ` +
          `\`{"reason": "..."}\` — ${abortAllowed ? 'holds are released and nothing more is cancelled' : 'orders already cancelled skip what is left'}.`,
      );
    }
    const last = this.timeline[this.timeline.length - 1];
    if (last) lines.push(`**Last event:** ${last.at} — ${last.message}`);
    setCurrentDetails(lines.join('\n\n'));
  }
}
