import { batch, closedLoop, sequential, type ClosedLoopResult } from './load';
import { assertShape, historyShape, meanShape, type HistoryShape, type ShapeCounts } from './history';
import { UsageMeter, type Usage } from './proc';
import { fmt, type LatencySummary } from './stats';
import type { BenchContext } from './types';

/** Fresh seeded order ids, topped up ahead of use in chunks (seeding 2,000 ids takes a few ms). */
export class OrderFeed {
  private ids: string[] = [];
  private i = 0;
  constructor(
    private readonly ctx: BenchContext,
    private readonly chunk = 2000,
  ) {
    this.ids = ctx.freshOrders(chunk);
  }
  next(): string {
    if (this.i >= this.ids.length - this.chunk / 2) this.ids.push(...this.ctx.freshOrders(this.chunk));
    return this.ids[this.i++];
  }
}

export interface ScenarioResult {
  latency: LatencySummary;
  loop: ClosedLoopResult;
  usage?: Usage;
  /** Mean history shape of the last sequential runs (Temporal scenarios only). */
  shape?: HistoryShape;
}

/** Every scenario's result of this run, by name (read by the findings). */
export const RESULTS = new Map<string, ScenarioResult>();

export interface ScenarioSpec {
  name: string;
  /** One operation on a fresh order id; must throw unless the order ended cancelled. */
  op: (orderId: string) => Promise<void>;
  /** Workflow id of an order (Temporal scenarios), to read the history shape. */
  workflowIdOf?: (orderId: string) => string;
  /** Shorter measured window than the plan's (diagnostic scenarios). */
  throughputMs?: number;
  /** Fewer sequential operations than the plan's (diagnostic scenarios). */
  sequential?: number;
  /** Instead of the closed loop: exactly `n` operations, `concurrency` at a time, all awaited (exact CPU per op). */
  batch?: { n: number; concurrency: number };
  /** The history shape a run must not grow beyond (the section fails loudly when it does). */
  expectShape?: ShapeCounts;
}

/** Latency at one in flight, then throughput (closed loop, or a batch) with CPU and memory sampled. */
export async function runScenario(ctx: BenchContext, spec: ScenarioSpec): Promise<ScenarioResult> {
  const { plan } = ctx;
  const feed = new OrderFeed(ctx);
  const lastIds: string[] = [];
  const n = Math.min(spec.sequential ?? plan.sequentialCancels, plan.sequentialCancels);
  ctx.log(`${spec.name}: ${plan.warmupCancels} warm-up + ${n} sequential`);
  const latency = await sequential(
    async () => {
      const id = feed.next();
      await spec.op(id);
      lastIds.push(id);
      if (lastIds.length > 10) lastIds.shift();
    },
    plan.warmupCancels,
    n,
  );
  ctx.log(`${spec.name}: p50 ${fmt(latency.p50)} ms at one in flight`);
  const { loop, usage } = spec.batch ? await inBatch(ctx, spec, feed) : await inClosedLoop(ctx, spec, feed);
  ctx.log(`${spec.name}: ${fmt(loop.opsPerSec)} ops/s (${loop.completed} completed, ${loop.failed} failed)`);
  if (loop.failed > 0) ctx.log(`${spec.name}: first failure: ${loop.firstError}`);
  const result = { latency, loop, usage, shape: await shapeOf(ctx, spec, lastIds) };
  RESULTS.set(spec.name, result);
  if (spec.expectShape) assertShape(spec.name, result.shape, spec.expectShape);
  return result;
}

async function inBatch(ctx: BenchContext, spec: ScenarioSpec, feed: OrderFeed) {
  const { n, concurrency } = ctx.plan.quick ? { n: 40, concurrency: 20 } : spec.batch!;
  ctx.log(`${spec.name}: batch of ${n}, ${concurrency} at a time`);
  const meter = new UsageMeter(ctx.serverPid);
  meter.start();
  const loop = await batch(() => spec.op(feed.next()), n, concurrency);
  return { loop, usage: meter.stop() };
}

async function inClosedLoop(ctx: BenchContext, spec: ScenarioSpec, feed: OrderFeed) {
  const { plan } = ctx;
  const durationMs = Math.min(spec.throughputMs ?? plan.throughputMs, plan.throughputMs);
  ctx.log(`${spec.name}: ${plan.concurrency} in flight, ${durationMs / 1000} s after ${plan.throughputWarmupMs / 1000} s warm-up`);
  const meter = new UsageMeter(ctx.serverPid);
  let usage: Usage | undefined;
  const inFlight = new Set<string>();
  const tracked = async (id: string) => {
    inFlight.add(id);
    try {
      await spec.op(id);
    } finally {
      inFlight.delete(id);
    }
  };
  const loop = await closedLoop(() => tracked(feed.next()), {
    concurrency: plan.concurrency,
    warmupMs: plan.throughputWarmupMs,
    durationMs,
    drainMs: plan.drainMs,
    onWindow: (phase) => (phase === 'open' ? meter.start() : (usage = meter.stop())),
  });
  if (spec.workflowIdOf && inFlight.size) await terminateLeftBehind(ctx, [...inFlight].map(spec.workflowIdOf));
  return { loop, usage };
}

/** Mean history shape of the given runs (Temporal scenarios only). */
export async function shapeOf(ctx: BenchContext, spec: ScenarioSpec, ids: string[]): Promise<HistoryShape | undefined> {
  const idOf = spec.workflowIdOf;
  if (!idOf || ids.length === 0) return undefined;
  return meanShape(await Promise.all(ids.map((id) => historyShape(ctx.env.client, idOf(id)))));
}

/** Workflows still running after the drain would keep the server busy during the next scenario: end them. */
export async function terminateLeftBehind(ctx: BenchContext, workflowIds: string[]): Promise<void> {
  ctx.log(`terminating ${workflowIds.length} workflows left in flight`);
  const queue = [...workflowIds];
  const lane = async () => {
    for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
      // Ignore the ones that completed meanwhile.
      await ctx.env.client.workflow.getHandle(id).terminate('benchmark window over').catch(() => undefined);
    }
  };
  await Promise.all(Array.from({ length: 20 }, lane));
}
