import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  CancelState,
  type CancelStatus,
  type Outcome,
  type State,
  type StepError,
  type StepName,
  type StepRecord,
  type TimelineEntry,
} from '../../contract/lean';

/** Timeline entries kept; the first (the request) stays, the oldest after it go, so queries stay small. */
const TIMELINE_MAX = 200;

/** Workflow time (deterministic). */
export function now(): string {
  return new Date().toISOString();
}

/**
 * What an operator sees of a saga, for the single cancel and the batch alike: the state (and its search
 * attribute), step records, a bounded timeline, the operator prompt, and the Web UI's "current details".
 */
export abstract class TrackerBase {
  state: State = 'CHECKING_ELIGIBILITY';
  outcome?: Outcome;
  awaiting?: CancelStatus['awaiting'] & { timeoutAt: string };
  lastError?: StepError;
  readonly steps: StepRecord[] = [];
  readonly timeline: TimelineEntry[] = [];

  /** What the status query names as the subject (provider, order) and whether the provider cancelled. */
  protected abstract subject(): Pick<CancelStatus, 'provider' | 'orderId' | 'providerCancelled' | 'providerJob'>;
  /** The first lines of the current details (state and what is being cancelled). */
  protected abstract headline(): string[];
  /** What `retry` and `abort` do here, for the operator prompt. */
  protected abstract promptEffects(step: StepName, abortAllowed: boolean): string;
  /** Extra lines after the prompt (e.g. the steps). */
  protected trailer(): string[] {
    return [];
  }

  /** Move to a state: search attribute, timeline and details follow. */
  enter(state: State, message: string): void {
    if (state !== this.state) {
      this.state = state;
      upsertSearchAttributes({ [CancelState.name]: [state] });
    }
    this.log(message);
  }

  /** Add a timeline entry and refresh the details. */
  log(message: string): void {
    this.timeline.push({ at: now(), state: this.state, message });
    if (this.timeline.length > TIMELINE_MAX) this.timeline.splice(1, this.timeline.length - TIMELINE_MAX);
    this.render();
  }

  /** The record of a step, created on first use (a retried step keeps adding attempts to the same record). */
  record(name: StepName): StepRecord {
    let rec = this.steps.find((s) => s.name === name);
    if (!rec) {
      rec = { name, status: 'running', attempts: 0, startedAt: now() };
      this.steps.push(rec);
    }
    return rec;
  }

  /** Close a step's record with a status, an optional note and the error it failed with. */
  finishStep(name: StepName, status: StepRecord['status'], note?: string, error?: StepError): void {
    const rec = this.record(name);
    rec.status = status;
    rec.endedAt = now();
    rec.note = note; // also clears a retry note ("next attempt at ...") once the step ended
    if (error) rec.lastError = this.lastError = error;
    this.render();
  }

  /** The status query's answer. */
  view(): CancelStatus {
    const { awaiting } = this;
    return {
      workflowId: workflowInfo().workflowId,
      ...this.subject(),
      state: this.state,
      outcome: this.outcome,
      steps: this.steps,
      timeline: this.timeline,
      awaiting: awaiting && {
        step: awaiting.step,
        since: awaiting.since,
        error: awaiting.error,
        abortAllowed: awaiting.abortAllowed,
        providerState: awaiting.providerState,
        unknownOrderIds: awaiting.unknownOrderIds,
        actions: awaiting.actions,
      },
    };
  }

  /** Markdown for the Web UI's "current details". */
  render(): void {
    const lines = this.headline();
    if (this.lastError) lines.push(`**Last error:** \`${this.lastError.type}\` — ${this.lastError.message}`);
    if (this.awaiting) {
      const { step, timeoutAt, abortAllowed } = this.awaiting;
      lines.push(
        `**Waiting for an operator** on step \`${step}\` (auto-abort at ${timeoutAt}).`,
        this.promptEffects(step, abortAllowed),
      );
      const unknown = this.awaiting.unknownOrderIds ?? [];
      if (this.awaiting.providerState === 'unknown') {
        lines.push(
          `**Provider state unknown** for ${unknown.length} order(s)${unknown.length <= 5 ? ` (\`${unknown.join('`, `')}\`)` : ''}: ` +
            'the cancel may have gone through and its answer was lost. Check at the provider, then signal ' +
            '`confirmCancelled` (finish as cancelled: refund, restock, notify) or `confirmNotCancelled` (release the ' +
            'hold, end not cancelled) with `{"by": "...", "note": "..."}`. An `abort` now leaves the hold in place.',
        );
      }
    }
    lines.push(...this.trailer());
    const last = this.timeline[this.timeline.length - 1];
    if (last) lines.push(`**Last event:** ${last.at} — ${last.message}`);
    setCurrentDetails(lines.join('\n\n'));
  }
}
