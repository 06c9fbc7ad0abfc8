import { mb } from './proc';
import type { ScenarioResult } from './scenario';
import { fmt } from './stats';
import type { Row } from './types';

/** Completions per second over the second half of the measured window (past the start-up transient). */
export function steadyRate(r: ScenarioResult): number {
  if (r.loop.perSecond.length === 0) return r.loop.opsPerSec;
  const half = r.loop.perSecond.slice(Math.floor(r.loop.perSecond.length / 2));
  return half.reduce((a, b) => a + b, 0) / (half.length || 1);
}

/** The table row of a scenario, with its diagnostics as extra columns. */
export function toRow(name: string, r: ScenarioResult, extra: Partial<Row> = {}): Row {
  const u = r.usage;
  const perOp = (ms: number | undefined) => (ms === undefined || r.loop.completed === 0 ? '–' : fmt(ms / r.loop.completed));
  const cores = (ms: number | undefined) => (ms === undefined || !u ? '–' : (ms / u.wallMs).toFixed(2));
  const secs = r.loop.perSecond;
  const diag: Record<string, string> = {
    'ops/s over the second half of the window': fmt(steadyRate(r)),
    'p50 / p99 under load (ms)': `${fmt(r.loop.latency.p50)} / ${fmt(r.loop.latency.p99)}`,
    'completed / failed': `${r.loop.completed} / ${r.loop.failed}`,
    'slowest / fastest second': secs.length ? `${Math.min(...secs)} / ${Math.max(...secs)}` : '–',
    'CPU cores: node / server': `${cores(u?.nodeCpuMs)} / ${cores(u?.serverCpuMs)}`,
    'CPU ms per op: node / server': `${perOp(u?.nodeCpuMs)} / ${perOp(u?.serverCpuMs)}`,
    'peak RSS: node / server': `${mb(u?.peakNodeRss)} / ${mb(u?.peakServerRss)}`,
  };
  if (r.shape) {
    const s = r.shape;
    diag['history: events / WFTs / activities / local activities / upserts / timers'] =
      `${fmt(s.events)} / ${fmt(s.workflowTasks)} / ${fmt(s.activities)} / ${fmt(s.localActivities)} / ${fmt(s.upserts)} / ${fmt(s.timers)}`;
    diag['1 in flight: in WFTs / in activities (running) ms'] =
      `${fmt(s.workflowTaskMs)} / ${fmt(s.activityMs)} (${fmt(s.activityRunMs)})`;
  }
  return {
    scenario: name,
    p50Ms: r.latency.p50,
    p95Ms: r.latency.p95,
    p99Ms: r.latency.p99,
    opsPerSec: r.loop.opsPerSec,
    diagnostics: diag,
    ...extra,
  };
}
