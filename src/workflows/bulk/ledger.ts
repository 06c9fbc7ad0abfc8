import { setCurrentDetails, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  batchCapability,
  clip,
  CANCELLED_OUTCOMES,
  NOT_CANCELLED_LISTED,
  type BulkCarry,
  type BulkOutcome,
  type BulkProgress,
  type BulkResult,
  type BulkState,
  CancelBulkId,
  CancelProvider,
  CancelState,
  WORKFLOW_TYPES,
} from '../../contract/lean';
type ProviderId = BulkProgress['provider'];

/** Counts and the bounded list of orders that did not cancel; everything here crosses continue-as-new. */
export class BulkLedger {
  state: BulkState = 'RUNNING';

  constructor(
    readonly carry: BulkCarry,
    readonly provider: ProviderId,
    readonly bulkId: string,
  ) {
    upsertSearchAttributes({
      [CancelProvider.name]: [provider],
      [CancelBulkId.name]: [bulkId],
      [CancelState.name]: [this.state],
    });
  }

  setState(state: BulkState): void {
    if (state === this.state) return;
    this.state = state;
    upsertSearchAttributes({ [CancelState.name]: [state] });
  }

  record(orderId: string, outcome: BulkOutcome, reason: string): void {
    const carry = this.carry;
    carry.done += 1;
    carry.byOutcome[outcome] = (carry.byOutcome[outcome] ?? 0) + 1;
    if (CANCELLED_OUTCOMES.includes(outcome)) return;
    if (carry.notCancelled.length < NOT_CANCELLED_LISTED)
      carry.notCancelled.push({ orderId, outcome, reason: clip(reason, 160) });
    else carry.notCancelledOmitted += 1;
  }

  /** History length of this run as it ends (the figure the benchmark reports). */
  closeRun(): void {
    const len = workflowInfo().historyLength;
    this.carry.runHistoryLengths = [...this.carry.runHistoryLengths, len].slice(-100);
    this.carry.maxHistoryLength = Math.max(this.carry.maxHistoryLength, len);
  }

  progress(inFlight: number, inFlightChildren: number, awaitingOperator: number): BulkProgress {
    const { total, received, done, byOutcome, run } = this.carry;
    const historyLength = workflowInfo().historyLength;
    return {
      bulkId: this.bulkId,
      provider: this.provider,
      state: this.state,
      total,
      received,
      done,
      byOutcome,
      inFlight,
      inFlightChildren,
      awaitingOperator,
      run,
      historyLength,
    };
  }

  result(abort?: { reason: string; by?: string }): BulkResult {
    const carry = this.carry;
    const cancelled = CANCELLED_OUTCOMES.reduce((n, o) => n + (carry.byOutcome[o] ?? 0), 0);
    return {
      bulkId: this.bulkId,
      provider: this.provider,
      state: abort ? 'ABORTED' : 'DONE',
      total: carry.total,
      byOutcome: carry.byOutcome,
      cancelled,
      notCancelled: carry.notCancelled,
      notCancelledOmitted: carry.notCancelledOmitted,
      howToList: howToList(this.provider, this.bulkId),
      duplicatesRemoved: carry.duplicatesRemoved,
      runs: carry.run,
      runHistoryLengths: carry.runHistoryLengths,
      maxHistoryLength: carry.maxHistoryLength,
      abort,
    };
  }

  /** Markdown for the Web UI's "current details". */
  render(p: BulkProgress, note?: string): void {
    const by =
      Object.entries(p.byOutcome)
        .map(([k, v]) => `${k} ${v}`)
        .join(' · ') || 'none yet';
    const lines = [
      `**State:** \`${p.state}\` — run ${p.run}, history ${p.historyLength} events`,
      `**Done:** ${p.done} / ${p.total} (received ${p.received}) — ${by}`,
      `**In flight:** ${p.inFlight} order(s) in ${p.inFlightChildren} child workflow(s)`,
      `**Awaiting an operator:** ${p.awaitingOperator} child workflow(s)${p.awaitingOperatorOrders !== undefined ? `, ${p.awaitingOperatorOrders} order(s), out of the window (the rest goes on)` : ''} — list: \`CancelBulkId = "${this.bulkId}" AND CancelState = "AWAITING_OPERATOR"\``,
    ];
    if (note) lines.push(`**Note:** ${note}`);
    setCurrentDetails(lines.join('\n\n'));
  }
}

/** Where every order's outcome lives (the result lists only the first not-cancelled ones). */
export function howToList(provider: ProviderId, bulkId: string): string {
  const base = `CancelBulkId = "${bulkId}"`;
  return batchCapability(provider)
    ? `Per-order outcomes are in the result of each batch: list them with ${base} AND WorkflowType = "${WORKFLOW_TYPES.cancelFincartBatch}"`
    : `One cancelOrder per order: ${base} AND WorkflowType = "cancelOrder" AND CancelState NOT IN ("CANCELLED", "ALREADY_CANCELLED")`;
}
