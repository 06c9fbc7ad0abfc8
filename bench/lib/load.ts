import { performance } from 'node:perf_hooks';
import { summarize, type LatencySummary } from './stats';

/** One operation; `i` counts operations of the run (for fresh ids). */
export type Op = (i: number) => Promise<unknown>;

/** Run `warmup` then `n` operations one after the other; latency of each of the `n` (ms). */
export async function sequential(op: Op, warmup: number, n: number): Promise<LatencySummary> {
  let i = 0;
  for (; i < warmup; i++) await op(i);
  const samples: number[] = [];
  for (; i < warmup + n; i++) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  return summarize(samples);
}

export interface ClosedLoopResult {
  /** Completions per second over the measured window (after warm-up). */
  opsPerSec: number;
  completed: number;
  failed: number;
  /** Latency of the operations that completed in the measured window. */
  latency: LatencySummary;
  /** Completions in each second of the measured window (shows stalls and drift). */
  perSecond: number[];
  firstError?: string;
}

/**
 * Keep `concurrency` operations in flight for `warmupMs + durationMs`; count completions after the warm-up only.
 * `onWindow` is told when the measured window opens and closes (for CPU and memory sampling). After the window,
 * operations still in flight get `drainMs` to finish and are then left behind (their results no longer count, and
 * at 200 in flight on a slow machine they can take tens of seconds).
 */
export async function closedLoop(
  op: Op,
  opts: {
    concurrency: number;
    warmupMs: number;
    durationMs: number;
    drainMs?: number;
    onWindow?: (phase: 'open' | 'close') => void;
  },
): Promise<ClosedLoopResult> {
  const start = performance.now();
  const windowStart = start + opts.warmupMs;
  const end = windowStart + opts.durationMs;
  const perSecond = new Array<number>(Math.ceil(opts.durationMs / 1000)).fill(0);
  const samples: number[] = [];
  let completed = 0;
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  const windowTimer = setTimeout(() => opts.onWindow?.('open'), opts.warmupMs);
  const lane = async (): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await op(next++);
      } catch (err) {
        failed += 1;
        firstError ??= String((err as Error)?.message ?? err);
        // A broken setup fails every call at once; stop instead of spinning for the whole window.
        if (failed > 1000) return;
        continue;
      }
      const t1 = performance.now();
      if (t1 >= windowStart && t1 < end) {
        completed += 1;
        samples.push(t1 - t0);
        perSecond[Math.floor((t1 - windowStart) / 1000)] += 1;
      }
    }
  };
  const lanes = Array.from({ length: opts.concurrency }, lane);
  const closer = new Promise<void>((resolve) => setTimeout(resolve, opts.warmupMs + opts.durationMs));
  await closer;
  opts.onWindow?.('close');
  const drained = new Promise<void>((resolve) => setTimeout(resolve, opts.drainMs ?? 5_000).unref());
  await Promise.race([Promise.all(lanes), drained]);
  clearTimeout(windowTimer);
  return { opsPerSec: completed / (opts.durationMs / 1000), completed, failed, latency: summarize(samples), perSecond, firstError };
}

/**
 * Run exactly `n` operations, `concurrency` at a time, and wait for all of them: CPU per operation measured around
 * it has no in-flight work at either edge (unlike a closed-loop window).
 */
export async function batch(op: Op, n: number, concurrency: number): Promise<ClosedLoopResult & { wallMs: number }> {
  const t0 = performance.now();
  const samples: number[] = [];
  let next = 0;
  let failed = 0;
  let firstError: string | undefined;
  const lane = async (): Promise<void> => {
    for (let i = next++; i < n; i = next++) {
      const s = performance.now();
      try {
        await op(i);
        samples.push(performance.now() - s);
      } catch (err) {
        failed += 1;
        firstError ??= String((err as Error)?.message ?? err);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = performance.now() - t0;
  const completed = samples.length;
  return { opsPerSec: completed / (wallMs / 1000), completed, failed, latency: summarize(samples), perSecond: [], firstError, wallMs };
}
