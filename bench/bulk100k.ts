import os from 'node:os';
import { BulkClient } from '../src/client/bulk-client';
import { BULK_DEFAULTS } from '../src/workflows/bulk';
import type { BulkResult } from '../src/contract';
import type { Delivery } from './bulk-direct';
import { startDirectChild, type DirectChild } from './lib/bulk-direct-process';
import { batchHistories, checkBatchShape, type Histories } from './lib/bulk-histories';
import { benchQueue, WORKER_SETTINGS } from './lib/worker';
import { startWorkerChild, workerBundleFile, workerOverrides } from './lib/worker-process';
import { cpuMsOf, mb } from './lib/proc';
import type { DirectReport } from './bulk-direct-child';
import type { BenchContext, Row, Section } from './lib/types';

/** Fincart's answer time in this section (the simulator waits this long before every answer). */
const FINCART_LATENCY_MS = Number(process.env.BENCH_FINCART_LATENCY_MS ?? 20);
/** The merchant receiver's answer time (0: as in every other section). */
const MERCHANT_LATENCY_MS = Number(process.env.BENCH_MERCHANT_LATENCY_MS ?? 0);
const QUICK_SIZE = 3_000;
/** Both deliveries unless BENCH_BULK_DELIVERY names one (or both, comma-separated). */
const DELIVERIES = (process.env.BENCH_BULK_DELIVERY ?? 'per-event,batched').split(',') as Delivery[];
/** The targets of issue 23. */
const TARGET_RATIO = 0.8;
const TARGET_BATCHED_100K_S = 120;
const TARGET_RSS_MB = 600;

interface TemporalRun {
  wallMs: number;
  result: BulkResult;
  workerCpuMs: number;
  /** VmHWM: the peak resident set of the worker process, and its RSS when it was ready (idle). */
  peakRssBytes: number;
  idleRssBytes: number;
  /** CPU of the bench process (client + simulators) and of the dev server (undefined with --address). */
  benchCpuMs: number;
  serverCpuMs?: number;
  /** POSTs the merchant receiver answered, and the events it took (duplicates not counted). */
  posts: number;
  events: number;
  histories: Histories;
}

/** The plain script's own report, and the bench process's CPU (simulators) during it. */
type DirectRun = DirectReport & { benchCpuMs: number };

interface Pair {
  delivery: Delivery;
  direct?: DirectRun;
  temporal: TemporalRun;
}

function seedPending(ctx: BenchContext, prefix: string, n: number): string[] {
  const ids = Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(7, '0')}`);
  ctx.sandbox.fincart.seed(ids.map((id) => ({ id, status: 'pending' })));
  return ids;
}

/** Forget what one run left in the simulators (order book, the merchant's 3 events per order). */
function forget(ctx: BenchContext, ids: string[]): void {
  for (const id of ids) ctx.sandbox.fincart.orders.delete(id);
  ctx.sandbox.merchant.reset();
}

/** POSTs the receiver answered since its last reset (its request log is off in the bench). */
function merchantPosts(ctx: BenchContext, delivery: Delivery): number {
  const m = ctx.sandbox.merchant;
  return delivery === 'batched' ? m.batches : m.events.length + m.duplicates;
}

async function runDirect(ctx: BenchContext, child: DirectChild, n: number, delivery: Delivery, limits: Limits) {
  const prefix = `b100k-d-${delivery}-${Date.now().toString(36)}-`;
  const ids = seedPending(ctx, prefix, n);
  try {
    const cpu0 = process.cpuUsage();
    const run = await child.run({ bulkId: prefix, prefix, n, delivery, ...limits });
    const cpu = process.cpuUsage(cpu0);
    // The simulators' CPU (this process) belongs to the plain script's run as it does to the orchestrator's.
    const r: DirectRun = { ...run, benchCpuMs: (cpu.user + cpu.system) / 1000 };
    ctx.log(
      `  plain script (${delivery}): ${s(r.wallMs)}, ${r.events} events, ${r.cancelled} cancelled, CPU ${s(r.cpuMs)}`,
    );
    return r;
  } finally {
    forget(ctx, ids);
  }
}

interface Limits {
  batchSize: number;
  callsPerBatch: number;
  window: number;
}

async function runTemporal(ctx: BenchContext, n: number, delivery: Delivery, limits: Limits): Promise<TemporalRun> {
  const tag = `t-${delivery}-${Date.now().toString(36)}`;
  const ids = seedPending(ctx, `b100k-${tag}-`, n);
  const tq = benchQueue('bulk100k');
  const bundle = await workerBundleFile(ctx, require.resolve('../src/workflows'));
  const settings = { ...WORKER_SETTINGS, ...workerOverrides() };
  const worker = await startWorkerChild(ctx, tq, bundle, settings, false, { MERCHANT_DELIVERY: delivery });
  ctx.log(`  worker pid ${worker.pid} ready on ${tq} (MERCHANT_DELIVERY=${delivery})`);
  const bulkId = `bench-${tag}`;
  let stopped = false;
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
      batchSize: limits.batchSize,
      concurrency: limits.window,
      limits: {
        callsPerBatch: limits.callsPerBatch,
        // BENCH_BULK_LIMITS: more of the parent's limits as JSON, e.g. '{"bufferCapacity":2000}', for experiments.
        ...(JSON.parse(process.env.BENCH_BULK_LIMITS ?? '{}') as Record<string, number>),
      },
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
    stopped = true;
    return {
      wallMs,
      result,
      workerCpuMs: end.cpuMs - worker.atReady.cpuMs,
      peakRssBytes: end.peakRss,
      idleRssBytes: worker.atReady.rss,
      benchCpuMs: (cpu.user + cpu.system) / 1000,
      serverCpuMs: server0 !== undefined && server1 !== undefined ? server1 - server0 : undefined,
      posts: merchantPosts(ctx, delivery),
      events: ctx.sandbox.merchant.events.length,
      histories: await batchHistories(ctx, bulkId),
    };
  } finally {
    if (!stopped) await worker.stop().catch(() => undefined);
    forget(ctx, ids);
  }
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const rate = (n: number, ms: number) => Math.round((n / (ms / 1000)) * 10) / 10;
const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
const count = (n: number) => n.toLocaleString('en-US');

/** A Fincart bulk of `size` orders, orchestrator and plain script side by side, in each delivery. */
function bulkVsScript(name: string, size: number): Section {
  return {
    name,
    title:
      `bulkCancelOrders against a plain script making the same calls, per-event and batched merchant delivery: ` +
      `${count(size)} Fincart orders (--quick: ${count(QUICK_SIZE)}), Fincart answering after ${FINCART_LATENCY_MS} ms, ` +
      'worker and plain script each in a child process',
    optIn: true,
    bundles: [require.resolve('../src/workflows')],
    async run(ctx) {
      const n = ctx.plan.quick ? QUICK_SIZE : Number(process.env.BENCH_BULK_ORDERS ?? size);
      const limits: Limits = {
        batchSize: Number(process.env.BENCH_BULK_BATCH_SIZE ?? BULK_DEFAULTS.batchSize),
        callsPerBatch: Number(process.env.BENCH_BULK_CALLS_PER_BATCH ?? BULK_DEFAULTS.callsPerBatch),
        window: Number(process.env.BENCH_BULK_WINDOW ?? BULK_DEFAULTS.batchConcurrency),
      };
      const { fincart, merchant } = ctx.sandbox;
      const before = { fincart: fincart.latencyMs, merchant: merchant.latencyMs };
      fincart.latencyMs = FINCART_LATENCY_MS;
      merchant.latencyMs = MERCHANT_LATENCY_MS;
      // BENCH_BULK_BASELINE=0 skips the plain script (A/B experiments on the Temporal side only).
      const child = process.env.BENCH_BULK_BASELINE === '0' ? undefined : await startDirectChild(ctx);
      const pairs: Pair[] = [];
      try {
        // Warm-up (JIT, keep-alive connections): the first measured run is not to pay for it.
        for (const d of DELIVERIES) if (child) await runDirect(ctx, child, Math.min(n, 1_000), d, limits);
        for (const delivery of DELIVERIES) {
          ctx.log(`${name}: ${delivery}, ${n} orders, ${JSON.stringify(limits)}`);
          const direct = child ? await runDirect(ctx, child, n, delivery, limits) : undefined;
          const temporal = await runTemporal(ctx, n, delivery, limits);
          ctx.log(
            `  temporal: ${s(temporal.wallMs)}, worker CPU ${s(temporal.workerCpuMs)}, server CPU ` +
              `${temporal.serverCpuMs === undefined ? '–' : s(temporal.serverCpuMs)}, peak RSS ${mb(temporal.peakRssBytes)}`,
          );
          pairs.push({ delivery, direct, temporal });
        }
      } finally {
        await child?.stop();
        fincart.latencyMs = before.fincart;
        merchant.latencyMs = before.merchant;
      }
      ctx.details(describe(n, limits, pairs));
      // A batch whose history grew beyond the expected shape fails the section (after the figures are written).
      for (const p of pairs) checkBatchShape(`${name} (${p.delivery})`, p.temporal.histories);
      return pairs.flatMap((p) => rows(name, n, p));
    },
  };
}

function rows(name: string, n: number, p: Pair): Row[] {
  const t = p.temporal;
  const h = t.histories;
  const base = `${name}: plain script, ${p.delivery}`;
  const b = h.batchShape;
  return [
    {
      scenario: `${name}: Temporal, ${p.delivery}`,
      opsPerSec: rate(n, t.wallMs),
      compareTo: p.direct ? base : undefined,
      note: `${s(t.wallMs)}; ${t.result.cancelled}/${n} cancelled; ${t.posts} merchant POSTs; ${t.result.runs} parent runs`,
      diagnostics: {
        'wall time': s(t.wallMs),
        'worker CPU (child process)': `${s(t.workerCpuMs)} (${(t.workerCpuMs / t.wallMs).toFixed(2)} cores)`,
        'worker peak RSS (VmHWM)': `${mb(t.peakRssBytes)} (target ≤ ${TARGET_RSS_MB} MB; idle ${mb(t.idleRssBytes)})`,
        'dev server CPU':
          t.serverCpuMs === undefined ? '–' : `${s(t.serverCpuMs)} (${(t.serverCpuMs / t.wallMs).toFixed(2)} cores)`,
        'bench process CPU (client + simulators)': s(t.benchCpuMs),
        'merchant POSTs / events': `${count(t.posts)} / ${count(t.events)}`,
        'parent runs; largest': `${t.result.runs}; ${h.parentMaxEvents} events, ${kb(h.parentMaxBytes)}`,
        'draining before continue-as-new (all runs)': s(h.drainMs),
        'batch workflows; mean history': `${h.batches}; ${h.batchMeanEvents.toFixed(0)} events, ${kb(h.batchMeanBytes)}`,
        'batch: WFTs / activities / local activities / upserts': b
          ? `${b.workflowTasks} / ${b.activities} / ${b.localActivities} / ${b.upserts}`
          : '–',
        'batch: ms in WFTs (queued) / activities (running)': b
          ? `${b.workflowTaskMs.toFixed(0)} (${b.workflowTaskQueueMs.toFixed(0)}) / ${b.activityMs.toFixed(0)} (${b.activityRunMs.toFixed(0)})`
          : '–',
      },
    },
    ...(p.direct
      ? [
          {
            scenario: base,
            opsPerSec: rate(n, p.direct.wallMs),
            note: `${s(p.direct.wallMs)}; CPU ${s(p.direct.cpuMs)} (script process)`,
          },
        ]
      : []),
  ];
}

function describe(n: number, limits: Limits, pairs: Pair[]): string {
  const lines = pairs.map(({ delivery, direct, temporal: t }) => {
    const ratio = direct ? direct.wallMs / t.wallMs : undefined;
    // With every process busy on the same cores, wall time goes as total CPU: the ratio this machine allows at best.
    const cpuOf = (x: number | undefined) => x ?? 0;
    const orchestratorCpu = t.workerCpuMs + cpuOf(t.serverCpuMs) + t.benchCpuMs;
    const cpuBound = direct
      ? ` CPU in all: orchestrator ${s(orchestratorCpu)} (worker + server + simulators), plain script ` +
        `${s(direct.cpuMs + direct.benchCpuMs)} (script + simulators): at equal use of the cores the ratio could reach ` +
        `${((direct.cpuMs + direct.benchCpuMs) / orchestratorCpu).toFixed(2)}x.`
      : '';
    const cpuPerBatch = (ms: number | undefined) =>
      ms === undefined ? '–' : `${(ms / Math.max(1, t.histories.batches)).toFixed(0)} ms`;
    const verdicts = [
      ratio === undefined
        ? ''
        : ` **${ratio >= TARGET_RATIO ? 'met' : 'not met'}** (target ≥ ${TARGET_RATIO}x): ${ratio.toFixed(2)}x the plain script (${s(direct!.wallMs)}).`,
      delivery === 'batched' && n >= 100_000
        ? ` ${n.toLocaleString('en-US')} in ≤ ${TARGET_BATCHED_100K_S} s: **${t.wallMs / 1000 <= TARGET_BATCHED_100K_S ? 'met' : 'not met'}**.`
        : '',
      ` Worker peak RSS ${mb(t.peakRssBytes)} (≤ ${TARGET_RSS_MB} MB: **${t.peakRssBytes / 2 ** 20 <= TARGET_RSS_MB ? 'met' : 'not met'}**).`,
    ].join('');
    return (
      `- ${delivery}: Temporal ${s(t.wallMs)} = ${rate(n, t.wallMs)} orders/s.${verdicts} CPU: worker ${s(t.workerCpuMs)}, ` +
      `dev server ${t.serverCpuMs === undefined ? '–' : s(t.serverCpuMs)}, bench process (client + simulators) ${s(t.benchCpuMs)}` +
      `${direct ? `; plain script ${s(direct.cpuMs)}` : ''}. Per batch workflow: worker ${cpuPerBatch(t.workerCpuMs)}, ` +
      `server ${cpuPerBatch(t.serverCpuMs)}. ${count(t.posts)} merchant POSTs.${cpuBound} Outcomes ${JSON.stringify(t.result.byOutcome)}.`
    );
  });
  return [
    `Fincart answers after ${FINCART_LATENCY_MS} ms, the merchant receiver after ${MERCHANT_LATENCY_MS} ms; request logs off.`,
    `Batches of ${limits.batchSize * limits.callsPerBatch} orders (${limits.callsPerBatch} Fincart calls of ${limits.batchSize}), ` +
      `${limits.window} batches in flight (the parent's window and the plain script's alike);`,
    'each batch: the hold events, the Fincart bulk cancels, the restock and the completed events. The worker (bench tuning)',
    'and the plain script (bench/bulk-direct.ts: the same HTTP calls and merchant sender, no Temporal, no retries)',
    'each run in a child process; the simulators and the client share the bench process; the dev server is a third.',
    `Load average at the end: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}.`,
    '',
    ...lines,
  ].join('\n');
}

/** 100,000 orders (`--only bulk100k`, about 10 minutes) and the quick 10,000 variant (`--only bulk10k`). */
export const BULK_VS_SCRIPT_SECTIONS = [bulkVsScript('bulk100k', 100_000), bulkVsScript('bulk10k', 10_000)];
