import os from 'node:os';
import type { HistoryShape } from './history';
import {
  ABLATION_BASE,
  ABLATION_CANCEL,
  ALL_LOCAL,
  ALL_REGULAR,
  CANCEL,
  CEILING,
  DIRECT,
  EAGER_START,
  NO_DETAILS,
  NO_IO,
  NO_UPSERTS,
} from './names';
import { mb } from './proc';
import { RATIO_TARGET } from '../ratio';
import { steadyRate } from './rows';
import { RESULTS, type ScenarioResult } from './scenario';
import { fmt } from './stats';

const perOp = (r: ScenarioResult, ms: number | undefined) => (ms === undefined ? NaN : ms / Math.max(1, r.loop.completed));
const cores = (r: ScenarioResult, ms: number | undefined) => (ms === undefined || !r.usage ? NaN : ms / r.usage.wallMs);
const x = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
const COUNTS = ['workflowTasks', 'activities', 'localActivities', 'upserts', 'timers'] as const;
const counts = (s: HistoryShape) =>
  `${fmt(s.events)} events: ${COUNTS.map((k) => `${fmt(s[k])} ${k.replace(/[A-Z]/g, (c) => ' ' + c.toLowerCase())}`).join(', ')}`;

/** Targets met or not, and what dominates, computed from this run's figures (Markdown; empty when nothing ran). */
export function findings(): string {
  const out: string[] = [];
  const cancel = RESULTS.get(CANCEL);
  const ceiling = RESULTS.get(CEILING);
  if (cancel && ceiling) {
    const s = steadyRate(cancel) / steadyRate(ceiling);
    out.push(
      `- **Throughput target (cancel ≥ ${RATIO_TARGET}x the same-shape ceiling, one window; section ratio gives three): ${cancel.loop.opsPerSec >= RATIO_TARGET * ceiling.loop.opsPerSec ? 'met' : 'not met'}** — ` +
        `${fmt(cancel.loop.opsPerSec)} vs ${fmt(ceiling.loop.opsPerSec)} ops/s = ${x(cancel.loop.opsPerSec, ceiling.loop.opsPerSec)} over the window ` +
        `(${s.toFixed(2)}x over its second half, past the start-up transient).`,
    );
  }
  if (cancel?.usage && ceiling?.usage) {
    const cpu = (r: ScenarioResult) => perOp(r, r.usage?.nodeCpuMs) + perOp(r, r.usage?.serverCpuMs);
    out.push(
      `- CPU per operation, bench process + dev server: cancelOrder ${fmt(cpu(cancel))} ms, ceiling ${fmt(cpu(ceiling))} ms. ` +
        `When both saturate the same cores, throughput goes as 1 / CPU per operation: ${(cpu(ceiling) / cpu(cancel)).toFixed(2)}x ` +
        '(less sensitive to other load on the machine than the measured ratio).',
    );
  }
  if (cancel) {
    out.push(
      `- **Latency target (p50 < 100 ms at one in flight): ${cancel.latency.p50 < 100 ? 'met' : 'not met'}** — p50 ${fmt(cancel.latency.p50)} ms` +
        (ceiling ? `; the ceiling (instant activities) has p50 ${fmt(ceiling.latency.p50)} ms on the same server.` : '.'),
    );
  }
  if (cancel?.shape && ceiling?.shape) {
    const a = cancel.shape;
    const b = ceiling.shape;
    const same = a.events === b.events && COUNTS.every((k) => a[k] === b[k]);
    out.push(
      same
        ? `- Same shape checked: cancelOrder and the ceiling both record ${counts(a)} per run.`
        : `- **The ceiling no longer has cancelOrder's shape** (cancelOrder ${counts(a)}; ceiling ${counts(b)}): ` +
            'update bench/ceiling-workflow.ts before reading the ratio.',
    );
  }
  for (const [name, r] of [[CANCEL, cancel], [CEILING, ceiling]] as const) {
    if (!r?.shape) continue;
    const s = r.shape;
    out.push(
      `- ${name}, one in flight: ${fmt(s.totalMs)} ms from first to last history event, of which ${fmt(s.workflowTaskMs)} ms in ` +
        `${fmt(s.workflowTasks)} workflow tasks (scheduled → completed; local activities run inside them) and ${fmt(s.activityMs)} ms ` +
        `in ${fmt(s.activities)} regular activities (${fmt(s.activityRunMs)} ms of it running).`,
    );
  }
  for (const [name, r] of [[CANCEL, cancel], [CEILING, ceiling], [DIRECT, RESULTS.get(DIRECT)]] as const) {
    if (!r?.usage) continue;
    const u = r.usage;
    out.push(
      `- ${name}, ${r.loop.completed} completions in the window: CPU per operation ${fmt(perOp(r, u.nodeCpuMs))} ms in the bench process ` +
        `(worker + client + simulators) and ${fmt(perOp(r, u.serverCpuMs))} ms in the dev server; ` +
        `${cores(r, u.nodeCpuMs).toFixed(2)} + ${cores(r, u.serverCpuMs).toFixed(2)} of the machine's cores busy.`,
    );
  }
  if (cancel?.usage) {
    out.push(
      `- Worker peak RSS during the cancelOrder throughput run: ${mb(cancel.usage.peakNodeRss)} (the bench process: worker, ` +
        `client and simulators together); dev server ${mb(cancel.usage.peakServerRss)}.`,
    );
  }
  const base = RESULTS.get(ABLATION_BASE);
  for (const name of base ? [EAGER_START, NO_UPSERTS, NO_DETAILS, ALL_REGULAR, ALL_LOCAL, NO_IO, ABLATION_CANCEL] : []) {
    const r = RESULTS.get(name);
    if (!r || !base) continue;
    out.push(
      `- Ablation "${name}": p50 ${fmt(r.latency.p50)} vs ${fmt(base.latency.p50)} ms, ${fmt(r.loop.opsPerSec)} vs ${fmt(base.loop.opsPerSec)} ops/s ` +
        `(${x(r.loop.opsPerSec, base.loop.opsPerSec)}); CPU per run: bench process ${fmt(perOp(r, r.usage?.nodeCpuMs))} vs ` +
        `${fmt(perOp(base, base.usage?.nodeCpuMs))} ms, server ${fmt(perOp(r, r.usage?.serverCpuMs))} vs ${fmt(perOp(base, base.usage?.serverCpuMs))} ms` +
        (r.shape ? `; ${counts(r.shape)}.` : '.'),
    );
  }
  if (out.length && loadAtStart[0] > 1) {
    out.unshift(
      `- Note: other processes were using the CPU (load average ${loadAtStart[0].toFixed(1)} when the run started, on ` +
        `${os.availableParallelism()} cores); throughput is contended, CPU per operation is the steadier figure.`,
    );
  }
  return out.join('\n');
}

/** Load average when this module was loaded (the start of the bench run). */
const loadAtStart = os.loadavg();
