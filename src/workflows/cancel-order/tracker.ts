import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  type CancelOrderInput,
  type CancelStatus,
  type Outcome,
  type State,
  type StepError,
  type StepName,
  type StepRecord,
  type TimelineEntry,
  CancelBulkId,
  CancelOrderId,
  CancelProvider,
  CancelState,
} from '../../contract';

/** Keeps what an operator sees current: state, steps, timeline, search attributes and the UI's details. */
export class Tracker {
  state: State = 'CHECKING_ELIGIBILITY';
  outcome?: Outcome;
  readonly steps: StepRecord[] = [];
  readonly timeline: TimelineEntry[] = [];
  providerCancelled = false;
  awaiting?: CancelStatus['awaiting'] & { timeoutAt: string };
  lastError?: StepError;

  constructor(private readonly input: CancelOrderInput) {
    const attrs: Record<string, string[]> = {
      [CancelProvider.name]: [input.provider],
      [CancelOrderId.name]: [input.orderId],
      [CancelState.name]: [this.state],
    };
    if (input.bulkId) attrs[CancelBulkId.name] = [input.bulkId];
    upsertSearchAttributes(attrs);
    this.log(`cancellation requested (${input.reason.code})${input.requestedBy ? ` by ${input.requestedBy}` : ''}`);
  }

  /** Move to a state: search attribute, timeline and details follow. */
  enter(state: State, message: string): void {
    if (state !== this.state) {
      this.state = state;
      upsertSearchAttributes({ [CancelState.name]: [state] });
    }
    this.log(message);
  }

  log(message: string): void {
    this.timeline.push({ at: now(), state: this.state, message });
    // Keep the timeline bounded so a long operator loop cannot bloat queries.
    if (this.timeline.length > 200) this.timeline.splice(1, this.timeline.length - 200);
    this.render();
  }

  /** The record of a step, created on first use (a retried step keeps adding attempts to the same record). */
  step(name: StepName): StepRecord {
    let rec = this.steps.find((s) => s.name === name);
    if (!rec) {
      rec = { name, status: 'running', attempts: 0, startedAt: now() };
      this.steps.push(rec);
    }
    return rec;
  }

  finishStep(name: StepName, status: StepRecord['status'], note?: string, error?: StepError): void {
    const rec = this.step(name);
    rec.status = status;
    rec.endedAt = now();
    rec.note = note; // also clears a retry note ("next attempt at ...") once the step ended
    if (error) {
      rec.lastError = error;
      this.lastError = error;
    }
    this.render();
  }

  view(): CancelStatus {
    const { awaiting } = this;
    return {
      workflowId: workflowInfo().workflowId,
      provider: this.input.provider,
      orderId: this.input.orderId,
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
      providerCancelled: this.providerCancelled,
    };
  }

  /** Markdown for the Web UI's "current details". */
  render(): void {
    const { provider, orderId, reason } = this.input;
    const lines = [
      `**State:** \`${this.state}\``,
      `**Order:** ${provider} / \`${orderId}\` — ${reason.code}${reason.note ? ` (${reason.note})` : ''}`,
      `**Provider cancelled:** ${this.providerCancelled ? 'yes' : 'no'}`,
    ];
    if (this.lastError) lines.push(`**Last error:** \`${this.lastError.type}\` — ${this.lastError.message}`);
    if (this.awaiting) {
      const { step, timeoutAt, abortAllowed } = this.awaiting;
      lines.push(
        `**Waiting for an operator** on step \`${step}\` (auto-abort at ${timeoutAt}).`,
        `**You can:** signal \`retry\` to run \`${step}\` again with a fresh retry budget, or signal ` +
          `\`abort\` with \`{"reason": "..."}\` — ${
            abortAllowed
              ? 'the hold is released and nothing is cancelled'
              : 'the provider already cancelled; what is left is skipped'
          }.`,
      );
    }
    const tries = (n: number) => (n ? ` (${n} attempt${n === 1 ? '' : 's'})` : '');
    const steps = this.steps.map((s) => `${s.name}: ${s.status}${tries(s.attempts)}`);
    if (steps.length) lines.push(`**Steps:** ${steps.join(' · ')}`);
    const last = this.timeline[this.timeline.length - 1];
    if (last) lines.push(`**Last event:** ${last.at} — ${last.message}`);
    setCurrentDetails(lines.join('\n\n'));
  }
}

/** Workflow time (deterministic). */
export function now(): string {
  return new Date().toISOString();
}
