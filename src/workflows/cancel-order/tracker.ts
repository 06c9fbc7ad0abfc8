import { upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  type CancelOrderInput,
  type CancelStatus,
  type ProviderCancelled,
  type ProviderJob,
  type StepName,
  CancelBulkId,
  CancelOrderId,
  CancelProvider,
  CancelState,
} from '../../contract/lean';
import { TrackerBase } from '../shared/tracker-base';

/** What an operator sees of one order's cancellation. */
export class Tracker extends TrackerBase {
  providerCancelled: ProviderCancelled = false;
  /** An asynchronous cancel's job at the provider, once the provider accepted the cancel. */
  providerJob?: ProviderJob;

  /** `startHasThem`: the start's search attributes are not upserted again when they already hold these values. */
  constructor(
    private readonly input: CancelOrderInput,
    startHasThem = false,
  ) {
    super();
    const attrs: [typeof CancelProvider, string][] = [
      [CancelProvider, input.provider],
      [CancelOrderId, input.orderId],
      [CancelState, this.state],
    ];
    if (input.bulkId) attrs.push([CancelBulkId, input.bulkId]);
    const started = workflowInfo().typedSearchAttributes;
    const missing = startHasThem ? attrs.filter(([key, value]) => started.get(key) !== value) : attrs;
    if (missing.length) upsertSearchAttributes(Object.fromEntries(missing.map(([key, value]) => [key.name, [value]])));
    this.log(`cancellation requested (${input.reason.code})${input.requestedBy ? ` by ${input.requestedBy}` : ''}`);
  }

  /** Attempts the provider cancel took (the result's `attempts`). */
  get cancelAttempts(): number {
    return this.steps.find((s) => s.name === 'cancel')?.attempts ?? 0;
  }

  protected subject(): Pick<CancelStatus, 'provider' | 'orderId' | 'providerCancelled' | 'providerJob'> {
    const { provider, orderId } = this.input;
    return { provider, orderId, providerCancelled: this.providerCancelled, providerJob: this.providerJob };
  }

  protected headline(): string[] {
    const { provider, orderId, reason } = this.input;
    return [
      `**State:** \`${this.state}\``,
      `**Order:** ${provider} / \`${orderId}\` — ${reason.code}${reason.note ? ` (${reason.note})` : ''}`,
      `**Provider cancelled:** ${this.providerCancelled === 'unknown' ? 'unknown (the answer was lost)' : this.providerCancelled ? 'yes' : 'no'}`,
      ...(this.providerJob
        ? [
            `**Provider job:** \`${this.providerJob.id}\` — ${this.providerJob.state === 'pending' ? `cancel pending at ${provider} since ${this.providerJob.since}` : this.providerJob.state}`,
          ]
        : []),
    ];
  }

  protected promptEffects(step: StepName, abortAllowed: boolean): string {
    return (
      `**You can:** signal \`retry\` to run \`${step}\` again with a fresh retry budget, or signal ` +
      `\`abort\` with \`{"reason": "..."}\` — ${
        abortAllowed
          ? 'the hold is released and nothing is cancelled'
          : 'the provider already cancelled; what is left is skipped'
      }.`
    );
  }

  protected override trailer(): string[] {
    const tries = (n: number) => (n ? ` (${n} attempt${n === 1 ? '' : 's'})` : '');
    const steps = this.steps.map((s) => `${s.name}: ${s.status}${tries(s.attempts)}`);
    return steps.length ? [`**Steps:** ${steps.join(' · ')}`] : [];
  }
}
