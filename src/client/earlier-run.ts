import type { Client } from '@temporalio/client';
import { decodePriority, WorkflowNotFoundError, type Priority } from '@temporalio/common';
import { optionalTsToMs } from '@temporalio/common/lib/time';
import type { CancelOrderInput } from '../contract';
import { startedEvent, startInput } from './run-start';

/** Outcomes that leave the order cancelled: a start after a run that ended so starts nothing new. */
const CANCELLED_ENDS = ['CANCELLED', 'ALREADY_CANCELLED'];

/** The order's latest run as the server holds it (describe: no worker, no visibility lag). */
export interface LatestRun {
  runId: string;
  /** Temporal's execution status: RUNNING, COMPLETED, ... */
  status: string;
  /** Its CancelState: the state while it runs, the outcome once it ended. */
  state?: string;
  startedAt: Date;
  endedAt?: Date;
}

/** The latest run of a workflow id, or undefined when there is none. */
export async function latestRun(client: Client, workflowId: string): Promise<LatestRun | undefined> {
  try {
    const d = await client.workflow.getHandle(workflowId).describe();
    const state = d.searchAttributes.CancelState?.[0] as string | undefined;
    return { runId: d.runId, status: d.status.name, state, startedAt: d.startTime, endedAt: d.closeTime };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
}

/** The latest run ended with the order cancelled (CANCELLED or ALREADY_CANCELLED): nothing is left to do. */
export function endedCancelled(run: LatestRun | undefined): run is LatestRun & { state: string } {
  return !!run && run.status === 'COMPLETED' && CANCELLED_ENDS.includes(run.state ?? '');
}

/** The running cancellation a start attached to: what it was started with, and what this call asked differently. */
export interface AttachedRun {
  runId: string;
  startedAt: Date;
  reason?: CancelOrderInput['reason'];
  requestedBy?: string;
  options?: CancelOrderInput['options'];
  priority?: Priority;
  /** The fields this call asked differently (`reason.code: fraud (asked) vs customer_request (running)`). */
  differences: string[];
  /** Why its input could not be read (then `differences` is empty), e.g. encrypted with a key this client lacks. */
  unreadable?: string;
}

/**
 * A running run's input and priority from the first event of its history: one call, answered by the server alone
 * (a query would need a worker, and the run may be waiting for one).
 */
export async function attachedRun(
  client: Client,
  workflowId: string,
  runId: string,
  asked: { input: CancelOrderInput; priority: Priority },
): Promise<AttachedRun> {
  const event = await startedEvent(client, workflowId, runId);
  const base = { runId, startedAt: new Date(optionalTsToMs(event?.eventTime) ?? 0) };
  const priority = decodePriority(event?.workflowExecutionStartedEventAttributes?.priority);
  try {
    const input = await startInput<CancelOrderInput>(client, event);
    if (!input) return { ...base, priority, differences: [], unreadable: 'its history has no input' };
    const { reason, requestedBy, options } = input;
    const differences = differencesOf(asked, { input, priority });
    return { ...base, reason, requestedBy, options, priority, differences };
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return { ...base, priority, differences: [], unreadable: why };
  }
}

/** Values a caller may leave out, as the saga reads them (contract defaults), so a default equals its explicit value. */
const FIELDS: [string, (i: CancelOrderInput, p: Priority) => unknown][] = [
  ['reason.code', (i) => i.reason.code],
  ['reason.note', (i) => i.reason.note],
  ['options.refund', (i) => i.options?.refund ?? true],
  ['options.restock', (i) => i.options?.restock ?? true],
  ['options.notifyCustomer', (i) => i.options?.notifyCustomer ?? true],
  ['options.operatorTimeout', (i) => i.options?.operatorTimeout ?? '72h'],
  ['snapshot.status', (i) => i.snapshot?.status],
  ['snapshot.paid', (i) => i.snapshot?.paid],
  // Temporal's defaults: key 3, no fairness key, weight 1.
  ['priority.priorityKey', (_i, p) => p.priorityKey || 3],
  ['priority.fairnessKey', (_i, p) => p.fairnessKey || undefined],
  ['priority.fairnessWeight', (_i, p) => p.fairnessWeight || 1],
];

/** What this call asked differently from the running run, one `field: asked (asked) vs running (running)` each. */
export function differencesOf(
  asked: { input: CancelOrderInput; priority: Priority },
  running: { input: CancelOrderInput; priority: Priority },
): string[] {
  const show = (v: unknown) => (v === undefined ? 'none' : typeof v === 'string' ? JSON.stringify(v) : String(v));
  return FIELDS.flatMap(([name, get]) => {
    const a = get(asked.input, asked.priority);
    const r = get(running.input, running.priority);
    return a === r ? [] : [`${name}: ${show(a)} (asked) vs ${show(r)} (running)`];
  });
}
