import type { WorkflowExecutionDescription } from '@temporalio/client';
import {
  progressQuery,
  statusQuery,
  WORKFLOW_TYPES,
  type BulkProgress,
  type BulkResult,
  type CancelStatus,
  type BatchInput,
  type BatchResult,
  type ProviderCancelled,
  type StepRecord,
  type TimelineEntry,
} from '../../contract';
import { startedEvent, startInput } from '../run-start';
import { CliError, printJson, println, type Ctx } from './context';
import { describeBatch, describeBulk } from './group-render';
import { nextSteps, sh, uiLink } from './render';

/** One order of a bulk or batch as `status --orders` shows it (no outcome yet while it runs). */
export interface OrderLine {
  orderId: string;
  outcome?: string;
  message?: string;
  providerCancelled?: ProviderCancelled;
  /** The workflow that holds it: its own cancelOrder, or its batch. */
  workflowId: string;
}

/** A child of a bulk (an order's cancellation or a batch) that waits for an operator. */
export interface WaitingChild {
  workflowId: string;
  orderId?: string;
}

/** What `status` shows of a bulk (`bulkCancelOrders`). */
export interface BulkView {
  kind: 'bulk';
  workflowId: string;
  runId: string;
  execution: string;
  provider?: string;
  bulkId?: string;
  /** RUNNING/ABORTING while it runs (the progress query), then DONE/ABORTED (its result). */
  state: string;
  progress?: BulkProgress;
  result?: BulkResult;
  /** Children waiting for an operator, as visibility lists them (it lags a second or so behind). */
  waiting: WaitingChild[];
  orders?: OrderLine[];
  /** Orders of the bulk not in `orders` (over --limit, or not started yet). */
  ordersOmitted?: number;
  next: string[];
  ui?: string;
}

/** What `status` shows of a batch (a bulk's batch child): its saga's state, steps and operator prompt, and its orders. */
export interface BatchView {
  kind: 'batch';
  workflowId: string;
  runId: string;
  execution: string;
  provider: string;
  bulkId?: string;
  batchNo?: number;
  /** The saga's state while it runs; DONE once it ended (each order has its own outcome). */
  state: string;
  outcome?: string;
  providerCancelled: ProviderCancelled;
  awaiting?: CancelStatus['awaiting'];
  steps: StepRecord[];
  timeline: TimelineEntry[];
  orders: OrderLine[];
  next: string[];
  ui?: string;
}

/** Ask a running workflow through its worker, with a deadline and a one-line error when no worker answers. */
async function ask<T>(ctx: Ctx, id: string, what: string, fn: () => Promise<T>): Promise<T> {
  return ctx.client.connection.withDeadline(Date.now() + 10_000, fn).catch((err: unknown) => {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new CliError(
      `${id} is running but no worker answered the ${what} query (${why}); is a worker polling ${ctx.env.TEMPORAL_TASK_QUEUE}?`,
    );
  });
}

/** A bulk: progress (or result), the children waiting for an operator, and with `orders` each order's end. */
export async function loadBulk(
  ctx: Ctx,
  id: string,
  desc: WorkflowExecutionDescription,
  opts: { orders?: boolean; limit: number },
): Promise<BulkView> {
  const sa = desc.searchAttributes;
  const bulkId = sa.CancelBulkId?.[0] as string | undefined;
  const provider = sa.CancelProvider?.[0] as string | undefined;
  const handle = ctx.client.workflow.getHandle(id);
  const view: BulkView = {
    kind: 'bulk',
    workflowId: id,
    runId: desc.runId,
    execution: desc.status.name,
    provider,
    bulkId,
    state: desc.status.name,
    waiting: [],
    next: [],
    ui: uiLink(ctx.env, id),
  };
  if (desc.status.name === 'RUNNING') {
    view.progress = await ask(ctx, id, 'progress', () => handle.query(progressQuery));
    view.state = view.progress.state;
  } else if (desc.status.name === 'COMPLETED') {
    view.result = (await handle.result()) as BulkResult;
    view.state = view.result.state;
  }
  if (bulkId && desc.status.name === 'RUNNING') view.waiting = await waitingChildren(ctx, bulkId);
  if (opts.orders && bulkId) {
    view.orders = await bulkOrders(ctx, bulkId, opts.limit);
    const total = view.result?.total ?? view.progress?.total ?? view.orders.length;
    view.ordersOmitted = Math.max(0, total - view.orders.length);
  }
  view.next = bulkNext(view);
  return view;
}

/** A batch: its saga status (running) or result (ended), and its orders with their outcomes when known. */
export async function loadBatch(ctx: Ctx, id: string, desc: WorkflowExecutionDescription): Promise<BatchView> {
  const sa = desc.searchAttributes;
  const handle = ctx.client.workflow.getHandle(id);
  const base = {
    kind: 'batch' as const,
    workflowId: id,
    runId: desc.runId,
    execution: desc.status.name,
    provider: (sa.CancelProvider?.[0] as string | undefined) ?? 'unknown',
    bulkId: sa.CancelBulkId?.[0] as string | undefined,
    batchNo: Number(/:batch:(\d+)$/.exec(id)?.[1]) || undefined,
    ui: uiLink(ctx.env, id),
  };
  if (desc.status.name === 'COMPLETED') {
    const r = (await handle.result()) as BatchResult;
    const orders = r.results.map((o) => ({ ...o, workflowId: id }));
    const outcome = r.results.find((o) => o.outcome !== 'CANCELLED')?.outcome ?? 'CANCELLED';
    const providerCancelled = summarize(r.results.map((o) => o.providerCancelled));
    const ended = { workflowId: id, state: outcome, outcome, providerCancelled, awaiting: undefined };
    return { ...base, ...ended, state: 'DONE', steps: [], timeline: [], orders, next: nextSteps(ended) };
  }
  const input = await batchInput(ctx, id, desc.runId);
  const orders = (input?.orders ?? []).map((o) => ({ orderId: o.orderId, workflowId: id }));
  if (desc.status.name !== 'RUNNING') {
    const next = ['a bug or a termination ended it: read the history in the UI; its orders have no recorded outcome'];
    return { ...base, state: desc.status.name, providerCancelled: false, steps: [], timeline: [], orders, next };
  }
  const s = await ask(ctx, id, 'status', () => handle.query(statusQuery));
  const { orderId: _subject, provider: _provider, ...status } = s;
  // Orders whose provider state is unknown (a lost answer) are the ones a confirm is about.
  const unknown = new Set(s.awaiting?.unknownOrderIds ?? []);
  const marked = orders.map((o) => (unknown.has(o.orderId) ? { ...o, providerCancelled: 'unknown' as const } : o));
  return { ...base, ...status, orders: marked, next: nextSteps(s) };
}

/** A batch's "provider cancelled": yes when any order was, unknown when any order's answer was lost, else no. */
function summarize(each: ProviderCancelled[]): ProviderCancelled {
  if (each.includes(true)) return true;
  return each.includes('unknown') ? 'unknown' : false;
}

/** The batch's input (its orders) from the first event of its history: the status query does not list them. */
async function batchInput(ctx: Ctx, id: string, runId: string): Promise<BatchInput | undefined> {
  return startInput<BatchInput>(ctx.client, await startedEvent(ctx.client, id, runId));
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** Children of the bulk waiting for an operator (visibility; first 50). */
async function waitingChildren(ctx: Ctx, bulkId: string): Promise<WaitingChild[]> {
  const query =
    `CancelBulkId = ${quote(bulkId)} AND CancelState = "AWAITING_OPERATOR" AND ExecutionStatus = "Running"` +
    ` AND WorkflowType IN ("${WORKFLOW_TYPES.cancelOrder}", "${WORKFLOW_TYPES.cancelFincartBatch}")`;
  const out: WaitingChild[] = [];
  for await (const wf of ctx.client.workflow.list({ query })) {
    out.push({ workflowId: wf.workflowId, orderId: wf.searchAttributes.CancelOrderId?.[0] as string | undefined });
    if (out.length >= 50) break;
  }
  return out.sort((a, b) => a.workflowId.localeCompare(b.workflowId, 'en', { numeric: true }));
}

/** Each order's end: a cancelOrder child's state, or a batch's per-order results (its orders while it runs). */
async function bulkOrders(ctx: Ctx, bulkId: string, limit: number): Promise<OrderLine[]> {
  const query =
    `CancelBulkId = ${quote(bulkId)}` +
    ` AND WorkflowType IN ("${WORKFLOW_TYPES.cancelOrder}", "${WORKFLOW_TYPES.cancelFincartBatch}")`;
  const orders: OrderLine[] = [];
  for await (const wf of ctx.client.workflow.list({ query })) {
    if (wf.type === WORKFLOW_TYPES.cancelOrder) {
      const orderId = (wf.searchAttributes.CancelOrderId?.[0] as string | undefined) ?? '?';
      const state = wf.searchAttributes.CancelState?.[0] as string | undefined;
      orders.push({ orderId, outcome: wf.status.name === 'RUNNING' ? undefined : state, workflowId: wf.workflowId });
    } else {
      const desc = await ctx.client.workflow.getHandle(wf.workflowId).describe();
      orders.push(...(await loadBatch(ctx, wf.workflowId, desc)).orders);
    }
    if (orders.length >= limit) break; // the rest are counted from the bulk's total, not read
  }
  return orders.slice(0, limit).sort((a, b) => a.workflowId.localeCompare(b.workflowId, 'en', { numeric: true }));
}

/** What an operator can do with a bulk, as commands to paste. */
function bulkNext(v: BulkView): string[] {
  const id = sh(v.workflowId);
  const cli = 'npx cancel-orders';
  if (v.execution !== 'RUNNING') {
    if (!v.result) return ['a bug or a termination ended it: read the history in the UI'];
    const notCancelled = v.result.total - v.result.cancelled;
    return notCancelled === 0
      ? ['nothing: every order is cancelled']
      : [`${notCancelled} order(s) did not end cancelled: ${cli} status ${id} --orders   (${v.result.howToList})`];
  }
  const lines = v.waiting.slice(0, 5).map((w) => `${cli} status ${sh(w.workflowId)}    # waits for an operator`);
  if (v.state === 'RUNNING')
    lines.push(`${cli} abort ${id} --reason '...'    # stop launching; in-flight children finish or abort`);
  if (lines.length === 0) lines.push(`wait (${cli} status ${id})`);
  return lines;
}

/** `status` of a bulk or a batch: print its view (JSON: one object) and return true; false for any other type. */
export async function showGroup(
  ctx: Ctx,
  id: string,
  desc: WorkflowExecutionDescription,
  opts: { orders?: boolean; limit: number; json?: boolean },
): Promise<boolean> {
  let view: BulkView | BatchView;
  if (desc.type === WORKFLOW_TYPES.bulkCancelOrders) view = await loadBulk(ctx, id, desc, opts);
  else if (desc.type === WORKFLOW_TYPES.cancelFincartBatch) view = await loadBatch(ctx, id, desc);
  else return false;
  if (opts.json) printJson(view);
  else println(...(view.kind === 'bulk' ? describeBulk(view) : describeBatch(view)));
  return true;
}
