import { BulkClient } from '../src/client/bulk-client';
import { CancellationClient } from '../src/client/cancellation-client';
import type { Priority } from '../src/contract/priority';
import { historyShape, meanShape } from './lib/history';
import { summarize, fmt, type LatencySummary } from './lib/stats';
import { benchQueue, cancelWorker } from './lib/worker';
import type { BenchContext, Row, Section } from './lib/types';

/** Provider latency on every simulated answer, as in the bulk section. */
const LATENCY_MS = 20;
/** Interactive cancels per phase, started this far apart (a trickle of customer requests, not a burst). */
const INTERACTIVE = 20;
const SPACING_MS = 250;
/** Children in flight, ten times the worker's workflow-task slots: the rest of the bulk's tasks wait in the server. */
const BULK_CONCURRENCY = 200;
/** A small worker, so the bulk keeps a backlog in the server's queue (where priority acts) without swamping 2 cores. */
const SLOTS = Number(process.env.BENCH_PRIORITY_SLOTS ?? 20);
const SMALL_WORKER = {
  maxConcurrentWorkflowTaskExecutions: SLOTS,
  maxConcurrentLocalActivityExecutions: SLOTS,
  maxConcurrentActivityTaskExecutions: 40,
  maxConcurrentWorkflowTaskPolls: 4,
  maxConcurrentActivityTaskPolls: 4,
};
/** Both kinds of work at one priority and one fairness key: the queue is plain FIFO, as before priorities. */
const NEUTRAL: Priority = { priorityKey: 3, fairnessKey: 'bench-neutral' };

interface Phase {
  label: string;
  latency: LatencySummary;
  /** Where the interactive cancels' time went (means over their histories). */
  where: WaitBreakdown;
  /** Bulk orders done when the first interactive cancel started / when the last one ended (busy phases). */
  bulkDone?: [number, number];
  bulkTotal?: number;
}

/** Mean ms per interactive cancel: in the server's queues vs in the worker (from the histories). */
interface WaitBreakdown {
  total: number;
  workflowTaskQueue: number;
  workflowTaskSticky: number;
  workflowTaskInWorker: number;
  activityQueue: number;
  activityRun: number;
}

async function breakdown(ctx: BenchContext, workflowIds: string[]): Promise<WaitBreakdown> {
  const s = meanShape(await Promise.all(workflowIds.map((id) => historyShape(ctx.env.client, id))));
  return {
    total: s.totalMs,
    workflowTaskQueue: s.workflowTaskQueueMs,
    workflowTaskSticky: s.workflowTaskStickyMs,
    // Local activities run inside a workflow task, so their waits for a worker slot count here.
    workflowTaskInWorker: s.workflowTaskMs - s.workflowTaskQueueMs,
    activityQueue: s.activityQueueMs,
    activityRun: s.activityRunMs,
  };
}

const breakdownText = (w: WaitBreakdown) =>
  `history ${fmt(w.total)} ms: workflow tasks waiting in the server ${fmt(w.workflowTaskQueue)} ms ` +
  `(${fmt(w.workflowTaskSticky)} of it on the worker's sticky queue), in the worker ` +
  `(incl. local activities) ${fmt(w.workflowTaskInWorker)} ms; provider calls waiting in the server ` +
  `${fmt(w.activityQueue)} ms, running ${fmt(w.activityRun)} ms`;

/** Start INTERACTIVE single cancels SPACING_MS apart and time each from start to outcome. */
async function interactiveCancels(
  ctx: BenchContext,
  taskQueue: string,
  priority?: Priority,
): Promise<{ samples: number[]; where: WaitBreakdown }> {
  const client = new CancellationClient({ client: ctx.env.client, taskQueue });
  const ids = ctx.freshOrders(INTERACTIVE);
  const workflowIds: string[] = [];
  const samples = await Promise.all(
    ids.map(async (orderId, i) => {
      await new Promise((r) => setTimeout(r, i * SPACING_MS));
      const t0 = performance.now();
      const handle = await client.startCancellation(
        { provider: 'fungies', orderId, reason: { code: 'customer_request' } },
        { priority },
      );
      const r = await handle.result();
      if (r.outcome !== 'CANCELLED') throw new Error(`${orderId}: ${r.outcome}: ${r.message}`);
      workflowIds.push(handle.workflowId);
      return performance.now() - t0;
    }),
  );
  return { samples, where: await breakdown(ctx, workflowIds) };
}

async function idlePhase(ctx: BenchContext): Promise<Phase> {
  const tq = benchQueue('priority-idle');
  const worker = await cancelWorker(ctx, tq, SMALL_WORKER);
  const { samples, where } = await worker.runUntil(interactiveCancels(ctx, tq));
  return { label: 'idle worker', latency: summarize(samples), where };
}

/** A Fungies bulk of `n` on the worker; once it is in full flow, the interactive cancels; then abort the rest. */
async function busyPhase(ctx: BenchContext, n: number, label: string, priority?: Priority): Promise<Phase> {
  const tq = benchQueue('priority-busy');
  const worker = await cancelWorker(ctx, tq, SMALL_WORKER);
  const bulk = new BulkClient({ client: ctx.env.client, taskQueue: tq });
  const orderIds = ctx.freshOrders(n);
  // Counted at the provider, not by querying the bulk: a query waits for the busy worker too.
  const done = () => orderIds.filter((id) => ctx.sandbox.fungies.orders.get(id)?.status === 'CANCELLED').length;
  return worker.runUntil(async () => {
    const started = await bulk.startBulkCancellation(
      {
        provider: 'fungies',
        orderIds,
        reason: { code: 'inventory' },
        concurrency: BULK_CONCURRENCY,
      },
      { priority },
    );
    await started.sent;
    // In full flow: a window's worth of children finished, so the worker's slots and the queue are full.
    const deadline = Date.now() + 120_000;
    while (done() < Math.min(BULK_CONCURRENCY, n / 10) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = done();
    const { samples, where } = await interactiveCancels(ctx, tq, priority);
    const after = done();
    await bulk.abortBulk(started.workflowId, 'bench phase over', 'bench');
    await started.handle.result();
    ctx.log(`  priority: ${label}: bulk ${before} → ${after} of ${n} done while the interactive cancels ran`);
    return { label, latency: summarize(samples), where, bulkDone: [before, after], bulkTotal: n };
  });
}

function row(p: Phase, n: number): Row {
  const during = p.bulkDone
    ? `; bulk ${p.bulkDone[0]} → ${p.bulkDone[1]} of ${p.bulkTotal} done meanwhile${p.bulkDone[1] >= n ? ' (it ENDED: not all under load)' : ''}`
    : '';
  return {
    scenario: `priority: ${INTERACTIVE} single cancels, ${p.label}`,
    p50Ms: p.latency.p50,
    p95Ms: p.latency.p95,
    p99Ms: p.latency.p99,
    note: `start → outcome, one every ${SPACING_MS} ms${during}`,
  };
}

/** Interactive cancels on an idle worker vs during a big bulk, with the default priorities and neutralised. */
export const prioritySection: Section = {
  name: 'priority',
  // Run by the providers section (issue 13 asks for it there); opt-in alone so a full run does it once.
  optIn: true,
  title: `Task priority: ${INTERACTIVE} single cancels (priorityKey 2) while a Fungies bulk (priorityKey 4) runs, ${LATENCY_MS} ms provider latency`,
  bundles: [require.resolve('../src/workflows')],
  async run(ctx) {
    const n = ctx.plan.quick ? 1_000 : 5_000;
    const sim = ctx.sandbox.fungies;
    const previous = sim.latencyMs;
    sim.latencyMs = LATENCY_MS;
    try {
      ctx.log(`priority: ${INTERACTIVE} cancels on an idle worker`);
      const idle = await idlePhase(ctx);
      ctx.log(`priority: ${INTERACTIVE} cancels during a ${n}-order bulk (default priorities)`);
      const busy = await busyPhase(ctx, n, `during a ${n.toLocaleString('en-US')}-order bulk (defaults: 2 vs 4)`);
      const phases = [idle, busy];
      if (process.env.BENCH_PRIORITY_FIFO !== '0') {
        ctx.log(`priority: the same with priority and fairness neutralised`);
        const label = `during a ${n.toLocaleString('en-US')}-order bulk, all at priorityKey 3, one fairness key (FIFO)`;
        phases.push(await busyPhase(ctx, n, label, NEUTRAL));
      }
      ctx.details(
        [
          `One small worker per phase (${SMALL_WORKER.maxConcurrentWorkflowTaskExecutions} workflow-task and ${SMALL_WORKER.maxConcurrentActivityTaskExecutions} activity slots), Fungies simulator answering after ${LATENCY_MS} ms.`,
          `The bulk runs ${BULK_CONCURRENCY} children at a time, ten per workflow-task slot, so its tasks wait in the server's`,
          'queue (priority reorders that queue; it cannot speed up a worker that has free slots);',
          `once ${Math.min(BULK_CONCURRENCY, n / 10)} of its orders are done, ${INTERACTIVE} single cancels start ${SPACING_MS} ms apart`,
          'through CancellationClient, each timed from start to outcome; then the rest of the bulk is aborted.',
          'Defaults: single cancels priorityKey 2, the bulk and its children 4 with the bulkId as fairness key.',
          `Neutralised: both at priorityKey 3 with one fairness key, which is FIFO dispatch as before priorities.`,
          'The dev server runs with matching.useNewMatcher and matching.enableFairness (src/devserver/dynamic-config.ts).',
          '',
          ...phases.map(
            (p) =>
              `- ${p.label}: p50 ${fmt(p.latency.p50)} ms, p95 ${fmt(p.latency.p95)} ms, slowest ${fmt(p.latency.p99)} ms` +
              (p.bulkDone ? `; bulk ${p.bulkDone[0]} → ${p.bulkDone[1]} of ${p.bulkTotal} done meanwhile` : '') +
              `; mean ${breakdownText(p.where)}`,
          ),
        ].join('\n'),
      );
      return phases.map((p) => row(p, n));
    } finally {
      sim.latencyMs = previous;
    }
  },
};
