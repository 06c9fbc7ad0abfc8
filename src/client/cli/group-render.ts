import type { BatchView, BulkView, OrderLine } from './group-status';
import { batchDoneState, countOutcomes } from './batch-state';
import { stepLines } from './render';
import { table } from './table';

/** Counts by outcome in one line. */
export function outcomeCounts(by: Partial<Record<string, number>>): string {
  return (
    Object.entries(by)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || 'none yet'
  );
}

/** Children (batches) waiting for an operator, and the orders in them when the bulk counts those. */
export function awaitingText(p: { awaitingOperator: number; awaitingOperatorOrders?: number }): string {
  const orders = p.awaitingOperatorOrders;
  return orders === undefined ? String(p.awaitingOperator) : `${p.awaitingOperator} (${orders} orders)`;
}

const ordersIn = (n: number | undefined) => (n === undefined ? '' : ` with ${n} order(s)`);

function orderLines(orders: OrderLine[], withWorkflow: boolean): string[] {
  if (orders.length === 0) return ['  (none listed yet: visibility lags a second or so behind)'];
  const rows = orders.map((o) => {
    const unknown = o.providerCancelled === 'unknown' ? '(provider state unknown) ' : '';
    return [
      o.orderId,
      o.outcome ?? '(running)',
      ...(withWorkflow ? [`[${o.workflowId}]`] : []),
      `${unknown}${o.message ?? ''}`.trim(),
    ];
  });
  return table(rows, { indent: '  ' });
}

/** `status` of a bulk, for people. */
export function describeBulk(v: BulkView): string[] {
  const lines = [
    `${v.workflowId}   ${v.provider ?? ''} bulk ${v.bulkId ?? ''}   (workflow ${v.execution})`,
    `state:     ${v.state}`,
  ];
  const p = v.progress;
  if (p) {
    lines.push(
      `progress:  ${p.done}/${p.total} done (received ${p.received}) — ${outcomeCounts(p.byOutcome)}`,
      `in flight: ${p.inFlight} order(s) in ${p.inFlightChildren} child workflow(s)`,
      `awaiting:  ${p.awaitingOperator} child workflow(s)${ordersIn(p.awaitingOperatorOrders)} wait for an operator`,
      ...v.waiting.map((w) => `  ${w.workflowId}${w.orderId ? `  (order ${w.orderId})` : ''}`),
    );
  }
  const r = v.result;
  if (r) {
    lines.push(`result:    ${r.state}: ${r.cancelled}/${r.total} cancelled — ${outcomeCounts(r.byOutcome)}`);
    if (r.abort) lines.push(`aborted:   ${r.abort.reason}${r.abort.by ? ` (by ${r.abort.by})` : ''}`);
    if (!v.orders) {
      for (const n of r.notCancelled.slice(0, 20)) lines.push(`  ${n.orderId}  ${n.outcome}  ${n.reason}`);
      const more = r.notCancelled.length - 20 + r.notCancelledOmitted;
      if (more > 0) lines.push(`  … and ${more} more (--orders lists every order)`);
    }
  }
  if (v.orders) {
    lines.push(`orders:    ${v.orders.length} listed`, ...orderLines(v.orders, true));
    if (v.ordersOmitted) lines.push(`  … and ${v.ordersOmitted} more not listed (over --limit, or not started yet)`);
  }
  lines.push('next:', ...v.next.map((n) => `  ${n}`));
  if (v.ui) lines.push(`ui:        ${v.ui}`);
  return lines;
}

/** `status` of a batch, for people. */
export function describeBatch(v: BatchView): string[] {
  const what = `${v.provider} batch ${v.batchNo ?? '?'} of bulk ${v.bulkId ?? '?'}`;
  // An ended batch says which of its orders did not end cancelled (its CancelState is DONE whatever they were).
  const state = v.state === 'DONE' ? batchDoneState(countOutcomes(v.orders.map((o) => o.outcome))) : v.state;
  const lines = [`${v.workflowId}   ${what}   (workflow ${v.execution})`, `state:    ${state}`];
  const unknown = v.orders.filter((o) => o.providerCancelled === 'unknown').length;
  if (unknown > 0 || v.providerCancelled === 'unknown') {
    lines.push(`provider: UNKNOWN for ${unknown || 'some'} order(s) whether the provider cancelled (answer lost)`);
  } else if (v.providerCancelled) lines.push('provider: cancelled at the provider (cannot be undone)');
  if (v.awaiting) {
    const err = v.awaiting.error ? ` — ${v.awaiting.error.type}: ${v.awaiting.error.message}` : '';
    lines.push(`waiting:  for an operator on step "${v.awaiting.step}" since ${v.awaiting.since}${err}`);
  }
  if (v.steps.length) lines.push('steps:', ...stepLines(v.steps));
  if (v.timeline.length) {
    lines.push('recent:', ...v.timeline.slice(-6).map((t) => `  ${t.at}  ${t.state.padEnd(22)} ${t.message}`));
  }
  const ended = v.orders.filter((o) => o.outcome).length;
  lines.push(`orders:   ${v.orders.length} (${ended} with an outcome)`, ...orderLines(v.orders, false));
  lines.push('next:', ...v.next.map((n) => `  ${n}`));
  if (v.ui) lines.push(`ui:       ${v.ui}`);
  return lines;
}
