import path from 'node:path';
import type { WorkerOptions } from '@temporalio/worker';
import { cancelWorkflowId } from '../src/contract';
import {
  assertShape,
  CANCEL_SHAPE,
  CANCEL_SHAPE_BEFORE,
  historyShape,
  meanShape,
  shapeGrowth,
  type HistoryShape,
  type ShapeCounts,
} from './lib/history';
import { batch, type ClosedLoopResult } from './lib/load';
import { cancelOp, ceilingOp, ceilingWorkflowId } from './lib/ops';
import { mb } from './lib/proc';
import { OrderFeed } from './lib/scenario';
import { fmt } from './lib/stats';
import type { BenchContext, Row, Section } from './lib/types';
import { benchQueue, WORKER_SETTINGS } from './lib/worker';
import { bundleFile, startWorkerChild, workerBundleFile, workerOverrides } from './lib/worker-process';
import type { CeilingInput } from './lib/ceiling-activities';
import type { ChildUsage } from './worker-child';

const WORKFLOWS = require.resolve('../src/workflows');
const CEILING_WORKFLOW = require.resolve('./ceiling-workflow');
/** Cancels in flight, as issue 10 measures the worker. */
const IN_FLIGHT = 150;
/** Targets of issue 10 for the worker process. */
export const WORKER_TARGETS = { cpuMsPerCancel: 15, peakRssMb: 400, cpuVsBefore: 0.7 };

interface Variant {
  /** Its key in BENCH_WORKER_VARIANTS. */
  key: string;
  name: string;
  settings: Partial<WorkerOptions>;
  /** The same-shape ceiling workflow with instant activities instead of cancelOrder: the floor. */
  ceiling?: boolean;
  /** A variant of the ceiling's shape (diagnostics: what a smaller shape would cost); its history is not checked. */
  shape?: CeilingInput['variant'];
  /** Only when BENCH_WORKER_VARIANTS names it. */
  optIn?: boolean;
  /** cancelOrder from the bundle in BENCH_WORKER_BEFORE_BUNDLE (an earlier build), checked against the earlier shape. */
  before?: boolean;
  /** Variables for the child (e.g. the earlier defaults). */
  env?: Record<string, string>;
}

/**
 * Worker settings compared. The first is the production worker's (createWorker as src/worker/main.ts runs it: the
 * SDK's defaults but 200 activity slots); the targets are read on it. `floor` is the same-shape ceiling (instant
 * activities, no HTTP) under the same settings: what the SDK itself costs per cancel of that shape. The others are
 * the bench's tuning of the in-process scenarios (200 workflow-task and local-activity slots, a 2000-workflow cache),
 * and that with a smaller cache. BENCH_WORKER_VARIANTS=key,key picks some (default: all but the opt-in
 * `floor-all-local`; `--quick`: production).
 */
const VARIANTS: Variant[] = [
  {
    key: 'production',
    name: 'production settings (slots and cache from the machine, 200 activity slots)',
    settings: {},
  },
  {
    key: 'floor',
    name: 'floor: same-shape ceiling workflow, instant activities, production settings',
    settings: {},
    ceiling: true,
  },
  {
    key: 'floor-all-local',
    name: 'floor, every step a local activity (1 workflow task; not the contract: no provider queue)',
    settings: {},
    ceiling: true,
    shape: { activities: 'all-local' },
    optIn: true,
  },
  {
    key: 'before',
    name: 'before: the bundle in BENCH_WORKER_BEFORE_BUNDLE (one local activity per step), earlier production settings',
    settings: {},
    before: true,
    // The defaults before they came from the machine: 100 local-activity slots (the rest is the same on 2 cores).
    env: { WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES: '100' },
    optIn: true,
  },
  {
    key: 'stack4',
    name: 'production settings, WORKFLOW_STACK_TRACE_LIMIT=4',
    settings: {},
    env: { WORKFLOW_STACK_TRACE_LIMIT: '4' },
    optIn: true,
  },
  {
    key: 'stack0',
    name: 'production settings, WORKFLOW_STACK_TRACE_LIMIT=0 (no stack-trace query)',
    settings: {},
    env: { WORKFLOW_STACK_TRACE_LIMIT: '0' },
    optIn: true,
  },
  {
    key: 'arena2',
    name: "production settings, MALLOC_ARENA_MAX=2 (glibc's per-thread malloc arenas capped)",
    settings: {},
    env: { MALLOC_ARENA_MAX: '2' },
    optIn: true,
  },
  { key: 'bench', name: 'bench tuning (200 workflow-task slots, maxCachedWorkflows 2000)', settings: WORKER_SETTINGS },
  {
    key: 'cache300',
    name: 'bench tuning, maxCachedWorkflows 300',
    settings: { ...WORKER_SETTINGS, maxCachedWorkflows: 300 },
  },
];

function pickVariants(quick: boolean): Variant[] {
  const keys = process.env.BENCH_WORKER_VARIANTS?.split(',').map((k) => k.trim());
  if (!keys) return quick ? VARIANTS.slice(0, 1) : VARIANTS.filter((v) => !v.optIn);
  const unknown = keys.filter((k) => !VARIANTS.some((v) => v.key === k));
  if (unknown.length) {
    throw new Error(`BENCH_WORKER_VARIANTS: unknown ${unknown.join(', ')} (${VARIANTS.map((v) => v.key).join(', ')})`);
  }
  // In the order given; a key given twice runs twice (interleaved repeats: the findings pool them).
  return keys.map((k) => VARIANTS.find((v) => v.key === k) as Variant);
}

interface WorkerRun {
  key: string;
  name: string;
  loop: ClosedLoopResult & { wallMs: number };
  atReady: ChildUsage;
  before: ChildUsage;
  after: ChildUsage;
  /** CPU of the child with nothing to do (its pollers), ms per second, right after the warm-up. */
  idleMsPerSec: number;
  shape: HistoryShape;
}

/** How long the idle CPU (pollers, timers) is read, with no cancel in flight. */
const IDLE_MS = 5_000;
const RUNS: WorkerRun[] = [];

async function measure(ctx: BenchContext, file: string, variant: Variant): Promise<Row> {
  const n = Number(process.env.BENCH_WORKER_CANCELS ?? (ctx.plan.quick ? 150 : 1500));
  const warmup = ctx.plan.quick ? 30 : 150;
  const tq = benchQueue('worker');
  const settings = { ...variant.settings, ...workerOverrides() };
  const child = await startWorkerChild(ctx, tq, file, settings, variant.ceiling, variant.env);
  try {
    const op = variant.ceiling ? ceilingOp(ctx, tq, variant.shape) : cancelOp(ctx, tq);
    const workflowId = variant.ceiling ? ceilingWorkflowId : (id: string) => cancelWorkflowId('fungies', id);
    const feed = new OrderFeed(ctx);
    ctx.log(
      `worker (${variant.name}): pid ${child.pid}, ${mb(child.atReady.rss)} after start; ${warmup} warm-up cancels`,
    );
    await batch(() => op(feed.next()), warmup, IN_FLIGHT);
    const idleFrom = await child.usage();
    await new Promise((resolve) => setTimeout(resolve, IDLE_MS));
    const before = await child.usage();
    const idleMsPerSec = ((before.cpuMs - idleFrom.cpuMs) / IDLE_MS) * 1000;
    ctx.log(`worker (${variant.name}): ${n} paid Fungies cancels, ${IN_FLIGHT} in flight`);
    const loop = await batch(() => op(feed.next()), n, IN_FLIGHT);
    const after = await child.usage();
    if (loop.failed > 0) throw new Error(`${loop.failed} of ${n} cancels failed; first: ${loop.firstError}`);
    // The shape of runs at one in flight: under load a workflow task can time out and be retried, which is not shape.
    const alone: string[] = [];
    for (let i = 0; i < 5; i++) {
      alone.push(feed.next());
      await op(alone[i]);
    }
    const shape = meanShape(await Promise.all(alone.map((id) => historyShape(ctx.env.client, workflowId(id)))));
    const repeat = RUNS.filter((r) => r.key === variant.key).length;
    const run = {
      key: variant.key,
      name: repeat ? `${variant.name} (run ${repeat + 1})` : variant.name,
      loop,
      atReady: child.atReady,
      before,
      after,
      idleMsPerSec,
      shape,
    };
    RUNS.push(run);
    ctx.log(`worker (${variant.name}): ${fmt(cpuPerCancel(run))} ms CPU per cancel, peak RSS ${mb(after.peakRss)}`);
    if (!variant.shape) assertShape(`worker (${variant.name})`, shape, expectedShape(variant));
    return toRow(run);
  } finally {
    await child.stop();
  }
}

const expectedShape = (v: Variant | undefined): ShapeCounts => (v?.before ? CANCEL_SHAPE_BEFORE : CANCEL_SHAPE);

const cpuPerCancel = (r: WorkerRun) => (r.after.cpuMs - r.before.cpuMs) / r.loop.completed;

function toRow(r: WorkerRun): Row {
  const s = r.shape;
  return {
    scenario: `worker process: ${r.name}`,
    opsPerSec: r.loop.opsPerSec,
    note: `${r.loop.completed} cancels, ${IN_FLIGHT} in flight`,
    diagnostics: {
      'worker CPU ms per cancel': fmt(cpuPerCancel(r)),
      'worker CPU cores busy': ((r.after.cpuMs - r.before.cpuMs) / r.loop.wallMs).toFixed(2),
      'worker CPU idle (pollers), ms per s / ms per cancel at this rate': `${fmt(r.idleMsPerSec)} / ${fmt(r.idleMsPerSec / r.loop.opsPerSec)}`,
      'worker RSS: after start / peak': `${mb(r.atReady.rss)} / ${mb(r.after.peakRss)}`,
      'worker heap used at the end': mb(r.after.heapUsed),
      'p50 / p99 under load (ms)': `${fmt(r.loop.latency.p50)} / ${fmt(r.loop.latency.p99)}`,
      'completed / failed': `${r.loop.completed} / ${r.loop.failed}`,
      'history: events / WFTs / activities / local activities / upserts / timers': `${fmt(s.events)} / ${fmt(s.workflowTasks)} / ${fmt(s.activities)} / ${fmt(s.localActivities)} / ${fmt(s.upserts)} / ${fmt(s.timers)}`,
    },
  };
}

/** The runs of one variant pooled: CPU over all their cancels, the highest peak RSS, the first's name and start. */
function pooled(key: string): WorkerRun | undefined {
  const runs = RUNS.filter((r) => r.key === key);
  if (runs.length <= 1) return runs[0];
  const sum = (f: (r: WorkerRun) => number) => runs.reduce((a, r) => a + f(r), 0);
  const completed = sum((r) => r.loop.completed);
  const wallMs = sum((r) => r.loop.wallMs);
  const cpuMs = sum((r) => r.after.cpuMs - r.before.cpuMs);
  const peakRss = Math.max(...runs.map((r) => r.after.peakRss));
  return {
    ...runs[0],
    name: `${runs[0].name} (${runs.length} runs pooled: ${runs.map((r) => fmt(cpuPerCancel(r))).join(' / ')} ms)`,
    loop: { ...runs[0].loop, completed, wallMs, opsPerSec: (completed / wallMs) * 1000 },
    before: { ...runs[0].before, cpuMs: 0 },
    after: { ...runs[0].after, cpuMs, peakRss },
  };
}

function findings(): string {
  const out: string[] = [];
  const main = pooled('production');
  const floor = pooled('floor');
  const before = pooled('before');
  const special = ['production', 'floor', 'before'];
  const others = [...new Set(RUNS.map((r) => r.key))]
    .filter((k) => !special.includes(k))
    .map((k) => pooled(k) as WorkerRun);
  if (floor) {
    const f = cpuPerCancel(floor);
    const ours = main
      ? ` The production worker spends ${fmt(cpuPerCancel(main) - f)} ms more per cancel: its workflow code, activities (HTTP, checks, logging) and their payloads.`
      : '';
    out.push(
      `- **Floor** (the same-shape ceiling in the same child, instant activities, production settings): ${fmt(f)} ms CPU ` +
        `per cancel, peak RSS ${mb(floor.after.peakRss)} — what the SDK and Core cost for cancelOrder's shape ` +
        `(${CANCEL_SHAPE.events} events: ${CANCEL_SHAPE.workflowTasks} workflow tasks, ${CANCEL_SHAPE.activities} activities, ` +
        `${CANCEL_SHAPE.localActivities} markers, ${CANCEL_SHAPE.upserts} upserts).${ours}`,
    );
  }
  if (!main) return out.join('\n');
  const cpu = cpuPerCancel(main);
  if (before) {
    const ratio = cpu / cpuPerCancel(before);
    out.push(
      `- **Worker CPU per cancel vs before (issue 23: ≤ ${WORKER_TARGETS.cpuVsBefore}x): ${ratio <= WORKER_TARGETS.cpuVsBefore ? 'met' : 'not met'}** — ` +
        `${fmt(cpu)} ms against ${fmt(cpuPerCancel(before))} ms (${ratio.toFixed(2)}x; ${before.name}).` +
        (floor
          ? ` The floor of the new shape is ${(cpuPerCancel(floor) / cpuPerCancel(before)).toFixed(2)}x of before.`
          : ''),
    );
  }
  const rss = main.after.peakRss / 2 ** 20;
  out.push(
    `- **Worker CPU target (≤ ${WORKER_TARGETS.cpuMsPerCancel} ms per cancel, worker process alone, ${IN_FLIGHT} in flight): ` +
      `${cpu <= WORKER_TARGETS.cpuMsPerCancel ? 'met' : 'not met'}** — ${fmt(cpu)} ms over ${main.loop.completed} paid Fungies cancels (${main.name}).`,
    `- **Worker memory target (peak RSS ≤ ${WORKER_TARGETS.peakRssMb} MB): ${rss <= WORKER_TARGETS.peakRssMb ? 'met' : 'not met'}** — ` +
      `${mb(main.after.peakRss)} peak (${mb(main.atReady.rss)} right after start).`,
  );
  for (const r of others) {
    out.push(
      `- Worker with ${r.name}: ${fmt(cpuPerCancel(r))} ms CPU per cancel, peak RSS ${mb(r.after.peakRss)}, ` +
        `${fmt(r.loop.opsPerSec)} cancels/s (vs ${fmt(cpuPerCancel(main))} ms, ${mb(main.after.peakRss)}, ${fmt(main.loop.opsPerSec)}/s).`,
    );
  }
  const grown = RUNS.filter((r) => !VARIANTS.find((v) => v.key === r.key)?.shape).flatMap((r) =>
    shapeGrowth(r.shape, expectedShape(VARIANTS.find((v) => v.key === r.key))),
  );
  out.push(
    grown.length
      ? `- **History shape grew**: ${grown.join(', ')}.`
      : `- History per cancel within the expected shape (${CANCEL_SHAPE.events} events, ${CANCEL_SHAPE.workflowTasks} workflow tasks, ` +
          `${CANCEL_SHAPE.activities} activity, ${CANCEL_SHAPE.localActivities} local activities).`,
  );
  return out.join('\n');
}

const worker: Section = {
  name: 'worker',
  title:
    'The production worker alone in a child process: its CPU per cancel and peak RSS over paid Fungies cancels at 150 in flight (client and simulators in the bench process)',
  bundles: [WORKFLOWS, CEILING_WORKFLOW],
  async run(ctx) {
    const file = await workerBundleFile(ctx, WORKFLOWS);
    if (process.env.BENCH_WORKER_BUNDLE) ctx.details(`Workflow bundle: \`${file}\` (BENCH_WORKER_BUNDLE).`);
    const variants = pickVariants(ctx.plan.quick);
    const ceiling = variants.some((v) => v.ceiling) ? await bundleFile(ctx, CEILING_WORKFLOW) : '';
    const before = process.env.BENCH_WORKER_BEFORE_BUNDLE;
    if (variants.some((v) => v.before) && !before) throw new Error('variant before: set BENCH_WORKER_BEFORE_BUNDLE');
    const rows: Row[] = [];
    for (const v of variants) {
      rows.push(await measure(ctx, v.ceiling ? ceiling : v.before ? path.resolve(before as string) : file, v));
      ctx.sandbox.reset();
    }
    ctx.details(
      "CPU per cancel: the child's process.cpuUsage() across the measured batch (after a warm-up), divided by the " +
        "cancels completed. Peak RSS: its resourceUsage().maxRSS (the kernel's high-water mark, VmHWM) at the end. " +
        'The child runs src/ transpiled to JavaScript (bench/lib/compile-child.ts), with node alone, as the image does.',
    );
    return rows;
  },
  findings,
};

/** The worker measured as its own process (issue 10). */
export const WORKER_SECTIONS: Section[] = [worker];
