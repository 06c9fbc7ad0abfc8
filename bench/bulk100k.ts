import { BulkClient } from '../src/client/bulk-client';
import { BULK_DEFAULTS } from '../src/workflows/bulk';
import type { BulkResult } from '../src/contract';
import { createDirectBulk, type DirectMode } from './bulk-direct';
import { benchQueue } from './lib/worker';
import { startWorkerChild, workerBundleFile, workerOverrides } from './lib/worker-process';
import { WORKER_SETTINGS } from './lib/worker';
import { cpuMsOf, mb } from './lib/proc';

/** What the bulk run reads of the worker child. */
interface ChildUsage {
  cpuMs: number;
  /** VmHWM: the peak resident set of the worker process. */
  peakRssBytes: number;
  /** RSS right after the worker was ready (before any work): the fixed cost. */
  idleRssBytes: number;
}
import type { BenchContext, Row, Section } from './lib/types';

/** Fincart's answer time in this section (the simulator waits this long before every answer). */
const FINCART_LATENCY_MS = Number(process.env.BENCH_FINCART_LATENCY_MS ?? 20);
/** The merchant receiver's answer time (0: as in every other section). */
const MERCHANT_LATENCY_MS = Number(process.env.BENCH_MERCHANT_LATENCY_MS ?? 0);
const SIZE = Number(process.env.BENCH_BULK_ORDERS ?? 100_000);
const QUICK_SIZE = 3_000;
/** The targets of issue 10 item 4. */
const TARGET_S = 180;
const TARGET_RSS_MB = 500;

const BASELINE = 'bulk100k: plain script, same HTTP calls';

interface TemporalRun {
  wallMs: number;
  result: BulkResult;
  worker: ChildUsage;
  benchCpuMs: number;
  /** CPU of the dev server during the run (undefined with --address). */
  serverCpuMs?: number;
  histories: Histories;
}

interface DirectRun {
  mode: DirectMode;
  wallMs: number;
  cpuMs: number;
  webhooks: number;
  cancelled: number;
}

interface Histories {
  parentRuns: number;
  parentMaxEvents: number;
  parentMaxBytes: number;
  parentTotalBytes: number;
  batches: number;
  batchMeanEvents: number;
  batchMaxEvents: number;
  batchMeanBytes: number;
  batchTotalBytes: number;
}

function seedPending(ctx: BenchContext, tag: string, n: number): string[] {
  const ids = Array.from({ length: n }, (_, i) => `b100k-${tag}-${String(i).padStart(7, '0')}`);
  ctx.sandbox.fincart.seed(ids.map((id) => ({ id, status: 'pending' })));
  return ids;
}

/** Forget what one run left in the simulators (order book, the merchant's 3 events per order). */
function forget(ctx: BenchContext, ids: string[]): void {
  for (const id of ids) ctx.sandbox.fincart.orders.delete(id);
  ctx.sandbox.merchant.reset();
}

async function runDirect(ctx: BenchContext, n: number, mode: DirectMode, batchSize: number, window: number) {
  const tag = `direct-${mode}-${Date.now().toString(36)}`;
  const ids = seedPending(ctx, tag, n);
  const direct = createDirectBulk(ctx.sandbox.env, { batchSize, window });
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  try {
    const r = await direct(tag, ids, mode);
    const cpu = process.cpuUsage(cpu0);
    const run: DirectRun = { mode, wallMs: Date.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, ...r };
    ctx.log(
      `  plain script (${mode}): ${(run.wallMs / 1000).toFixed(1)} s, ${run.webhooks} webhooks, ${run.cancelled} cancelled`,
    );
    return run;
  } finally {
    forget(ctx, ids);
  }
}

/** Events and bytes of the parent's runs and of its batch workflows, from visibility. */
async function histories(ctx: BenchContext, bulkId: string): Promise<Histories> {
  const parents: { events: number; bytes: number }[] = [];
  const batches: { events: number; bytes: number }[] = [];
  for await (const wf of ctx.env.client.workflow.list({ query: `CancelBulkId = "${bulkId}"` })) {
    const h = { events: wf.historyLength, bytes: wf.historySize ?? 0 };
    (wf.type === 'bulkCancelOrders' ? parents : batches).push(h);
  }
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const max = (xs: number[]) => xs.reduce((a, b) => Math.max(a, b), 0);
  return {
    parentRuns: parents.length,
    parentMaxEvents: max(parents.map((p) => p.events)),
    parentMaxBytes: max(parents.map((p) => p.bytes)),
    parentTotalBytes: sum(parents.map((p) => p.bytes)),
    batches: batches.length,
    batchMeanEvents: batches.length ? sum(batches.map((b) => b.events)) / batches.length : 0,
    batchMaxEvents: max(batches.map((b) => b.events)),
    batchMeanBytes: batches.length ? sum(batches.map((b) => b.bytes)) / batches.length : 0,
    batchTotalBytes: sum(batches.map((b) => b.bytes)),
  };
}

async function runTemporal(ctx: BenchContext, n: number, limits: { batchSize?: number; concurrency?: number }) {
  const tag = `t-${Date.now().toString(36)}`;
  const ids = seedPending(ctx, tag, n);
  const tq = benchQueue('bulk100k');
  const bundle = await workerBundleFile(ctx, require.resolve('../src/workflows'));
  const worker = await startWorkerChild(ctx, tq, bundle, { ...WORKER_SETTINGS, ...workerOverrides() });
  ctx.log(`  worker pid ${worker.pid} ready on ${tq}`);
  const bulkId = `bench-${tag}`;
  let usage: ChildUsage | undefined;
  try {
    const client = new BulkClient({ client: ctx.env.client, taskQueue: tq });
    const cpu0 = process.cpuUsage();
    const server0 = ctx.serverPid ? cpuMsOf(ctx.serverPid) : undefined;
    const t0 = Date.now();
    const started = await client.startBulkCancellation({
      provider: 'fincart',
      orderIds: ids,
      reason: { code: 'inventory' },
      bulkId,
      ...limits,
    });
    const progress = setInterval(() => {
      client.getBulkProgress(started.workflowId).then(
        (p) => ctx.log(`  temporal: ${p.done}/${p.total} done, ${p.inFlight} in flight, run ${p.run}`),
        () => undefined,
      );
    }, 10_000);
    let result: BulkResult;
    try {
      await started.sent;
      result = await started.handle.result();
    } finally {
      clearInterval(progress);
    }
    const wallMs = Date.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const server1 = ctx.serverPid ? cpuMsOf(ctx.serverPid) : undefined;
    const end = await worker.usage();
    await worker.stop();
    usage = { cpuMs: end.cpuMs, peakRssBytes: end.peakRss, idleRssBytes: worker.atReady.rss };
    const run: TemporalRun = {
      wallMs,
      result,
      worker: usage,
      benchCpuMs: (cpu.user + cpu.system) / 1000,
      serverCpuMs: server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined,
      histories: await histories(ctx, bulkId),
    };
    return run;
  } finally {
    if (!usage) await worker.stop().catch(() => undefined);
    forget(ctx, ids);
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (n: number, ms: number) => Math.round((n / (ms / 1000)) * 10) / 10;
const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;

/** Opt-in: 100,000 Fincart orders, the worker in its own process, against a plain script making the same calls. */
export const bulk100kSection: Section = {
  name: 'bulk100k',
  title:
    `bulkCancelOrders: ${SIZE.toLocaleString('en-US')} Fincart orders (--quick: ${QUICK_SIZE.toLocaleString('en-US')}), ` +
    `Fincart answering after ${FINCART_LATENCY_MS} ms, worker in a child process; plain-script baseline`,
  optIn: true,
  bundles: [require.resolve('../src/workflows')],
  async run(ctx) {
    const n = ctx.plan.quick ? QUICK_SIZE : SIZE;
    const batchSize = Number(process.env.BENCH_BULK_BATCH_SIZE ?? BULK_DEFAULTS.batchSize);
    const window = Number(process.env.BENCH_BULK_WINDOW ?? BULK_DEFAULTS.batchConcurrency);
    const { fincart, merchant } = ctx.sandbox;
    const before = { fincart: fincart.latencyMs, merchant: merchant.latencyMs };
    fincart.latencyMs = FINCART_LATENCY_MS;
    merchant.latencyMs = MERCHANT_LATENCY_MS;
    try {
      ctx.log(`bulk100k: plain script, ${n} orders, batches of ${batchSize}, ${window} at a time`);
      const direct: DirectRun[] = [];
      // BENCH_BULK_BASELINE=0 skips the plain script (A/B experiments on the Temporal side only).
      if (process.env.BENCH_BULK_BASELINE !== '0') {
        // Warm-up (JIT, keep-alive connections): the first measured run is not to pay for it.
        await runDirect(ctx, Math.min(n, 1_000), 'all', batchSize, window);
        for (const mode of ['all', 'webhooks', 'batch'] as const)
          direct.push(await runDirect(ctx, n, mode, batchSize, window));
      }
      ctx.log(`bulk100k: Temporal, ${n} orders`);
      const t = await runTemporal(ctx, n, { batchSize, concurrency: window });
      ctx.log(`  temporal: ${s(t.wallMs)}, worker cpu ${s(t.worker.cpuMs)}, peak RSS ${mb(t.worker.peakRssBytes)}`);
      describe(ctx, n, batchSize, window, direct, t);
      return rows(n, direct, t);
    } finally {
      fincart.latencyMs = before.fincart;
      merchant.latencyMs = before.merchant;
    }
  },
};

function rows(n: number, direct: DirectRun[], t: TemporalRun): Row[] {
  const h = t.histories;
  const label = (mode: DirectMode) =>
    mode === 'all'
      ? BASELINE
      : `bulk100k: plain script, ${mode === 'webhooks' ? 'webhooks only' : 'batch cancels only'}`;
  return [
    {
      scenario: `bulk100k: Temporal, ${n.toLocaleString('en-US')} Fincart orders`,
      opsPerSec: rate(n, t.wallMs),
      compareTo: direct.length ? BASELINE : undefined,
      note: `${s(t.wallMs)} (target ≤ ${TARGET_S} s at 100,000); ${t.result.cancelled}/${n} cancelled; ${t.result.runs} parent runs`,
      diagnostics: {
        'wall time': s(t.wallMs),
        'orders/s': String(rate(n, t.wallMs)),
        'worker CPU (child process)': `${s(t.worker.cpuMs)} (${(t.worker.cpuMs / t.wallMs).toFixed(2)} cores)`,
        'worker peak RSS (VmHWM)': `${mb(t.worker.peakRssBytes)} (target ≤ ${TARGET_RSS_MB} MB; idle ${mb(t.worker.idleRssBytes)})`,
        'bench process CPU (client + simulators)': s(t.benchCpuMs),
        'dev server CPU': t.serverCpuMs === undefined ? '–' : s(t.serverCpuMs),
        'parent runs (continue-as-new + 1)': `${t.result.runs} (visibility: ${h.parentRuns})`,
        'largest parent run': `${h.parentMaxEvents} events, ${kb(h.parentMaxBytes)}`,
        'batch workflows': `${h.batches}; mean ${h.batchMeanEvents.toFixed(0)} events / ${kb(h.batchMeanBytes)}, max ${h.batchMaxEvents} events`,
        'all histories': kb(h.parentTotalBytes + h.batchTotalBytes),
      },
    },
    ...direct.map((d): Row => ({
      scenario: label(d.mode),
      opsPerSec: rate(n, d.wallMs),
      note: `${s(d.wallMs)}; ${d.webhooks} webhooks, ${d.cancelled} cancelled; CPU ${s(d.cpuMs)} (script + simulators)`,
    })),
  ];
}

function describe(
  ctx: BenchContext,
  n: number,
  batchSize: number,
  window: number,
  direct: DirectRun[],
  t: TemporalRun,
) {
  const [all, hooks, batch] = direct;
  const h = t.histories;
  const temporal = [
    `- Temporal: ${s(t.wallMs)} for ${n.toLocaleString('en-US')} orders = ${rate(n, t.wallMs)} orders/s` +
      (all
        ? `; ${((all.wallMs / t.wallMs) * 100).toFixed(0)}% of the plain script's throughput (${(all.wallMs / t.wallMs).toFixed(2)}x). `
        : '. ') +
      `Worker CPU ${s(t.worker.cpuMs)}, peak RSS ${mb(t.worker.peakRssBytes)}; dev server CPU ${t.serverCpuMs === undefined ? '–' : s(t.serverCpuMs)}; bench process (client + simulators) ${s(t.benchCpuMs)}. Outcomes ${JSON.stringify(t.result.byOutcome)}.`,
    `- Histories: ${t.result.runs} parent runs (${t.result.runs - 1} continue-as-new), largest ${h.parentMaxEvents} events / ` +
      `${kb(h.parentMaxBytes)}; ${h.batches} batch workflows of ${h.batchMeanEvents.toFixed(0)} events / ` +
      `${kb(h.batchMeanBytes)} on average; ${kb(h.parentTotalBytes + h.batchTotalBytes)} of history in all.`,
  ];
  const share = (d: DirectRun) => `${Math.round((d.wallMs / all.wallMs) * 100)}%`;
  ctx.details(
    [
      `Fincart answers after ${FINCART_LATENCY_MS} ms, the merchant receiver after ${MERCHANT_LATENCY_MS} ms; request logs off.`,
      `Batches of ${batchSize} orders, ${window} batches in flight (the parent's window and the plain script's alike);`,
      `each batch: a hold webhook per order, one Fincart bulk cancel, a restock and a completed webhook per order`,
      `(webhooks of one step ${'`HOOK_BATCH_CONCURRENCY`'} at a time). The worker runs in a child process with the bench`,
      'tuning; its CPU and peak RSS (VmHWM, including ts-node) are its own. The client and the simulators share the',
      'bench process; the dev server is a third process.',
      '',
      ...temporal,
      ...(all
        ? [
            `- Plain script, same calls: ${s(all.wallMs)} (${rate(n, all.wallMs)} orders/s, ${all.webhooks} webhooks + ` +
              `${Math.ceil(n / batchSize)} bulk cancels). Webhooks alone ${s(hooks.wallMs)} (${share(hooks)}), ` +
              `bulk cancels alone ${s(batch.wallMs)} (${share(batch)}): ` +
              (hooks.wallMs > batch.wallMs
                ? `the webhooks dominate (${(hooks.wallMs / Math.max(batch.wallMs, 1)).toFixed(1)}x the batch calls' time).`
                : 'the batch calls dominate.') +
              ` By CPU (script + simulators, steadier under load): webhooks ${s(hooks.cpuMs)}, bulk cancels ${s(batch.cpuMs)}.`,
          ]
        : ['- Plain script: skipped (BENCH_BULK_BASELINE=0).']),
    ].join('\n'),
  );
}
