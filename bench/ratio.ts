import type { Worker } from '@temporalio/worker';
import { cancelWorkflowId } from '../src/contract';
import { closedLoop, type ClosedLoopResult } from './lib/load';
import { cancelOp, ceilingOp, ceilingWorkflowId } from './lib/ops';
import { UsageMeter, type Usage } from './lib/proc';
import { OrderFeed, terminateLeftBehind } from './lib/scenario';
import { fmt } from './lib/stats';
import type { BenchContext, Row, Section } from './lib/types';
import { benchQueue, cancelWorker, ceilingWorker } from './lib/worker';
import { CEILING_WORKFLOW, WORKFLOWS } from './single';

/** Issue 10's throughput target: cancelOrder at least this share of the same-shape ceiling, at 200 in flight. */
export const RATIO_TARGET = 0.9;
const ROUNDS = 3;

interface Window {
  loop: ClosedLoopResult;
  usage?: Usage;
}
const WINDOWS: { cancel: Window; ceiling: Window }[] = [];

/** One closed-loop window of `op` on a fresh worker; workflows left in flight are ended. */
async function window(
  ctx: BenchContext,
  worker: Worker,
  op: (id: string) => Promise<void>,
  idOf: (id: string) => string,
): Promise<Window> {
  const feed = new OrderFeed(ctx);
  const meter = new UsageMeter(ctx.serverPid);
  const inFlight = new Set<string>();
  let usage: Usage | undefined;
  const loop = await worker.runUntil(
    closedLoop(
      async () => {
        const id = feed.next();
        inFlight.add(id);
        await op(id).finally(() => inFlight.delete(id));
      },
      {
        concurrency: ctx.plan.concurrency,
        warmupMs: ctx.plan.throughputWarmupMs,
        durationMs: Math.min(30_000, ctx.plan.throughputMs),
        drainMs: ctx.plan.drainMs,
        onWindow: (phase) => (phase === 'open' ? meter.start() : (usage = meter.stop())),
      },
    ),
  );
  if (inFlight.size) await terminateLeftBehind(ctx, [...inFlight].map(idOf));
  if (loop.failed > 0) throw new Error(`${loop.failed} operations failed; first: ${loop.firstError}`);
  return { loop, usage };
}

/** CPU per completed operation, bench process + dev server (ms). */
const cpuPerOp = (w: Window) =>
  w.usage ? (w.usage.nodeCpuMs + (w.usage.serverCpuMs ?? 0)) / Math.max(1, w.loop.completed) : NaN;
const spread = (xs: number[]) =>
  `${xs.map((x) => x.toFixed(2)).join(' / ')} (mean ${(xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(2)}, spread ${(Math.max(...xs) - Math.min(...xs)).toFixed(2)})`;

const ratio: Section = {
  name: 'ratio',
  title: `cancelOrder against the same-shape ceiling at 200 in flight: ${ROUNDS} alternating windows each (throughput ratio, its spread, CPU per operation)`,
  bundles: [WORKFLOWS, CEILING_WORKFLOW],
  async run(ctx) {
    for (let r = 1; r <= ROUNDS; r++) {
      ctx.log(`ratio: round ${r} of ${ROUNDS}, cancelOrder`);
      const tq1 = benchQueue('ratio-cancel');
      const cancel = await window(ctx, await cancelWorker(ctx, tq1), cancelOp(ctx, tq1), (id) =>
        cancelWorkflowId('fungies', id),
      );
      ctx.sandbox.reset();
      ctx.log(`ratio: round ${r} of ${ROUNDS}, ceiling`);
      const tq2 = benchQueue('ratio-ceiling');
      const ceiling = await window(ctx, await ceilingWorker(ctx, tq2), ceilingOp(ctx, tq2), ceilingWorkflowId);
      ctx.sandbox.reset();
      WINDOWS.push({ cancel, ceiling });
      ctx.log(`ratio: round ${r}: ${fmt(cancel.loop.opsPerSec)} vs ${fmt(ceiling.loop.opsPerSec)} ops/s`);
    }
    const row = (name: string, pick: (w: (typeof WINDOWS)[number]) => Window): Row => {
      const ops = WINDOWS.map((w) => pick(w).loop.opsPerSec);
      return {
        scenario: name,
        opsPerSec: ops.reduce((a, b) => a + b, 0) / ops.length,
        note: `${ROUNDS} windows: ${ops.map(fmt).join(' / ')} ops/s`,
        diagnostics: {
          'CPU ms per op (bench process + server), per window': WINDOWS.map((w) => fmt(cpuPerOp(pick(w)))).join(' / '),
        },
      };
    };
    return [
      row('cancelOrder, 200 in flight (3 windows)', (w) => w.cancel),
      row('ceiling, 200 in flight (3 windows)', (w) => w.ceiling),
    ];
  },
  findings() {
    if (WINDOWS.length === 0) return '';
    const ratios = WINDOWS.map((w) => w.cancel.loop.opsPerSec / w.ceiling.loop.opsPerSec);
    const cpuRatios = WINDOWS.map((w) => cpuPerOp(w.ceiling) / cpuPerOp(w.cancel));
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    return [
      `- **Throughput target (cancelOrder ≥ ${RATIO_TARGET}x the same-shape ceiling at 200 in flight): ${mean >= RATIO_TARGET ? 'met' : 'not met'}** — ` +
        `ratio per window ${spread(ratios)}.`,
      `- CPU per operation (bench process + dev server), ceiling ÷ cancelOrder per window: ${spread(cpuRatios)}; ` +
        'when both saturate the same cores, throughput goes as 1 / CPU per operation.',
    ].join('\n');
  },
};

/** The throughput ratio with its run-to-run spread (issue 10 item 2). */
export const RATIO_SECTIONS: Section[] = [ratio];
