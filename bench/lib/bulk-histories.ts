import { tsToMs } from '@temporalio/common/lib/time';
import { historyShape, meanShape, shapeGrowth, type HistoryShape, type ShapeCounts } from './history';
import type { BenchContext } from './types';

/** Events and bytes of a bulk's parent runs and batch workflows (visibility), and a sample's history shape. */
export interface Histories {
  parentRuns: number;
  parentMaxEvents: number;
  parentMaxBytes: number;
  batches: number;
  batchMeanEvents: number;
  batchMeanBytes: number;
  /** Mean shape of up to 20 batch workflows (workflow tasks, activities, time in them). */
  batchShape?: HistoryShape;
  /** Sum over the parent's runs that continued as new: last child start → continue-as-new (the drain), ms. */
  drainMs: number;
}

/**
 * A Fincart batch's happy path (400 orders without snapshots, 4 provider calls of 100): 53 events, 7 workflow tasks,
 * 6 activities (the holds, 4 bulk cancels one after the other, the final steps chained in one), 4 markers (the
 * eligibility local activity and 3 patches), 8 upserts (5 of its own, one per patch). Before 'bulk-defaults-v3' and
 * 'batch-final-steps-chained-v1' (100 orders, one call): 39 events, 5 workflow tasks, 4 activities, 3 markers, 7
 * upserts. A change that adds a round trip fails the bulk sections; update it with a deliberate change.
 */
export const BATCH_SHAPE: ShapeCounts = {
  events: 53,
  workflowTasks: 7,
  activities: 6,
  localActivities: 4,
  upserts: 8,
  timers: 0,
};

/** Read the histories of one bulk from visibility (and 20 batch histories in full). */
export async function batchHistories(ctx: BenchContext, bulkId: string): Promise<Histories> {
  const parents: { events: number; bytes: number }[] = [];
  const batches: { events: number; bytes: number }[] = [];
  const sample: string[] = [];
  const runs: { workflowId: string; runId: string }[] = [];
  for await (const wf of ctx.env.client.workflow.list({ query: `CancelBulkId = "${bulkId}"` })) {
    const h = { events: wf.historyLength, bytes: wf.historySize ?? 0 };
    if (wf.type === 'bulkCancelOrders') {
      parents.push(h);
      runs.push({ workflowId: wf.workflowId, runId: wf.runId });
    } else {
      batches.push(h);
      if (sample.length < 20) sample.push(wf.workflowId);
    }
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
  const shapes = await Promise.all(sample.map((id) => historyShape(ctx.env.client, id)));
  return {
    parentRuns: parents.length,
    parentMaxEvents: max(parents.map((p) => p.events)),
    parentMaxBytes: max(parents.map((p) => p.bytes)),
    batches: batches.length,
    batchMeanEvents: batches.length ? sum(batches.map((b) => b.events)) / batches.length : 0,
    batchMeanBytes: batches.length ? sum(batches.map((b) => b.bytes)) / batches.length : 0,
    batchShape: shapes.length ? meanShape(shapes) : undefined,
    drainMs: sum(await Promise.all(runs.map((r) => drainOf(ctx, r.workflowId, r.runId)))),
  };
}

/** How long a parent run drained before it continued as new (0 for the last run). */
async function drainOf(ctx: BenchContext, workflowId: string, runId: string): Promise<number> {
  const events = (await ctx.env.client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
  const end = events.at(-1);
  if (!end?.workflowExecutionContinuedAsNewEventAttributes) return 0;
  const lastStart = [...events].reverse().find((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
  return lastStart ? tsToMs(end.eventTime) - tsToMs(lastStart.eventTime) : 0;
}

/** Throw when the batches' mean history grew beyond BATCH_SHAPE (naming what grew). */
export function checkBatchShape(name: string, h: Histories): void {
  if (!h.batchShape) throw new Error(`${name}: no batch history was read`);
  const grown = shapeGrowth(h.batchShape, BATCH_SHAPE);
  if (grown.length) {
    throw new Error(
      `${name}: a batch's history grew beyond the expected shape (${grown.join(', ')}); if deliberate, update ` +
        'BATCH_SHAPE in bench/lib/bulk-histories.ts',
    );
  }
}
