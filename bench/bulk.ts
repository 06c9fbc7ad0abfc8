import { BulkClient } from '../src/client/bulk-client';
import type { ProviderId } from '../src/providers/types';
import type { BulkResult } from '../src/contract';
import { benchQueue, cancelWorker } from './lib/worker';
import type { BenchContext, Row, Section } from './lib/types';

/** Provider latency of the bulk runs (every simulated provider answer waits this long). */
const LATENCY_MS = 20;
/** Size of the big opt-in run; `BENCH_BULK_ORDERS=n npm run bench -- --only bulk-big` changes it. */
const BIG = Number(process.env.BENCH_BULK_ORDERS ?? 100_000);

interface BulkRun {
  provider: ProviderId;
  orders: number;
  wallMs: number;
  result: BulkResult;
  peakRssMb: number;
}

/** Run one bulk of `n` fresh orders through the client, on its own worker, sampling the process RSS. */
async function runBulk(ctx: BenchContext, provider: ProviderId, n: number): Promise<BulkRun> {
  const tag = `${provider}-${n}-${Date.now().toString(36)}`;
  const ids = Array.from({ length: n }, (_, i) => `bulk-${tag}-${String(i).padStart(7, '0')}`);
  const sim = ctx.sandbox.sims[provider];
  sim.seed(ids.map((id) => ({ id, status: provider === 'fincart' ? 'pending' : 'PAID', paid: true })));
  const previous = sim.latencyMs;
  sim.latencyMs = LATENCY_MS;
  const tq = benchQueue(`bulk-${provider}`);
  const worker = await cancelWorker(ctx, tq);
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 200);
  try {
    const client = new BulkClient({ client: ctx.env.client, taskQueue: tq });
    const t0 = Date.now();
    const result = await worker.runUntil(async () => {
      const started = await client.startBulkCancellation({
        provider,
        orderIds: ids,
        reason: { code: 'inventory' },
        bulkId: `bench-${tag}`,
      });
      const progress = setInterval(() => {
        client.getBulkProgress(started.workflowId).then(
          (p) => ctx.log(`  ${provider}: ${p.done}/${p.total} done, ${p.inFlight} in flight, run ${p.run}`),
          () => undefined,
        );
      }, 10_000);
      try {
        await started.sent;
        return await started.handle.result();
      } finally {
        clearInterval(progress);
      }
    });
    return { provider, orders: n, wallMs: Date.now() - t0, result, peakRssMb: Math.round(peak / 2 ** 20) };
  } finally {
    clearInterval(sampler);
    sim.latencyMs = previous;
    // Free the order book before the next run.
    for (const id of ids) sim.orders.delete(id);
  }
}

function toRow(r: BulkRun): Row {
  const secs = r.wallMs / 1000;
  const cancelled = r.result.cancelled;
  return {
    scenario: `bulk ${r.provider} ${r.orders.toLocaleString('en-US')}`,
    opsPerSec: Math.round((r.orders / secs) * 10) / 10,
    note: `${secs.toFixed(1)} s wall; ${cancelled}/${r.orders} cancelled; ${r.result.runs} runs`,
    diagnostics: {
      'wall time': `${secs.toFixed(1)} s`,
      'orders/s': (r.orders / secs).toFixed(0),
      'parent runs': String(r.result.runs),
      'largest parent history (events/run)': String(r.result.maxHistoryLength),
      'peak RSS (bench process = worker)': `${r.peakRssMb} MB`,
    },
  };
}

function describe(ctx: BenchContext, runs: BulkRun[]): void {
  const lines = runs.map(
    (r) =>
      `- ${r.provider} ${r.orders}: ${(r.wallMs / 1000).toFixed(1)} s, ${(r.orders / (r.wallMs / 1000)).toFixed(0)} orders/s, ` +
      `${r.result.runs} parent runs, largest parent history ${r.result.maxHistoryLength} events ` +
      `(runs: ${r.result.runHistoryLengths.slice(0, 12).join(', ')}${r.result.runHistoryLengths.length > 12 ? ', …' : ''}), ` +
      `peak RSS ${r.peakRssMb} MB, outcomes ${JSON.stringify(r.result.byOutcome)}`,
  );
  ctx.details(
    [
      `Provider latency ${LATENCY_MS} ms on every simulated answer; one worker in the bench process; request logs off.`,
      'The client sends the ids in chunks of 1,000 (`addOrders` update); the parent continues as new after 4,000 events',
      'or 10,000 orders, and runs 50 children at a time (Fincart: 8 batch workflows of 400 orders, 4 calls of 100 ids).',
      'A parent run\'s history: start, one update (2 events) per chunk, per child "initiated/started/completed" (3 events)',
      'and the workflow tasks between them (3 events each, several completions per task).',
      '',
      ...lines,
    ].join('\n'),
  );
}

/** 10,000 Fincart and 10,000 Fungies orders in one bulk each. */
export const bulkSection: Section = {
  name: 'bulk',
  title: `bulkCancelOrders: 10,000 Fincart and 10,000 Fungies orders, ${LATENCY_MS} ms provider latency`,
  async run(ctx) {
    const n = ctx.plan.quick ? 1_000 : 10_000;
    const runs: BulkRun[] = [];
    for (const provider of ['fincart', 'fungies'] as const) {
      ctx.log(`bulk: ${n} ${provider} orders`);
      runs.push(await runBulk(ctx, provider, n));
    }
    describe(ctx, runs);
    return runs.map(toRow);
  },
};

/** Opt-in: one bulk of 100,000 Fincart orders (`npm run bench -- --only bulk-big`). */
export const bulkBigSection: Section = {
  name: 'bulk-big',
  title: `bulkCancelOrders: ${BIG.toLocaleString('en-US')} Fincart orders in one request, ${LATENCY_MS} ms provider latency`,
  optIn: true,
  async run(ctx) {
    ctx.log(`bulk: ${BIG} fincart orders`);
    const run = await runBulk(ctx, 'fincart', BIG);
    describe(ctx, [run]);
    return [toRow(run)];
  },
};

/** Both bulk sections, for bench/main.ts. */
export const BULK_SECTIONS = [bulkSection, bulkBigSection];
