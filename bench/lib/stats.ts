/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  n: number;
}

/** p50/p95/p99 and mean of a sample (ms). */
export function summarize(samples: number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((s, v) => s + v, 0) / (sorted.length || 1);
  return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), mean, n: sorted.length };
}

/** Round for the table: one decimal under 10, whole numbers above. */
export function fmt(v: number | undefined): string {
  if (v === undefined || Number.isNaN(v)) return '–';
  return v < 10 ? v.toFixed(1) : Math.round(v).toString();
}
