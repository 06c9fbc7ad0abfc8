// The input rules as plain constants and functions: the zod schemas (input.ts, bulk-input.ts) and the workflows'
// hand-written checks (plain-checks.ts) both read them, so a limit or a message is written once.
import { MANIFESTS } from '../providers/registry';

/** C0/C1 controls, invisible format characters (bidi overrides, zero-width), line/paragraph separators, lone surrogates. */
export const INVISIBLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;

/** Order ids: at most this many characters. */
export const ORDER_ID_MAX = 200;

/** Messages of the order id rules, in the order they are checked. */
export const ORDER_ID_MSG = {
  empty: 'must not be empty',
  long: `must be at most ${ORDER_ID_MAX} characters`,
  invisible: 'must not contain control or invisible format characters',
  whitespace: 'must not start or end with whitespace',
  dots: 'must not be "." or ".." (they would change a URL path)',
} as const;

/** Longest reason note. */
export const NOTE_MAX = 500;
export const NOTE_MSG = `must be at most ${NOTE_MAX} characters`;

/** Longest accepted duration: far below what a Date or a Temporal timer can hold. */
export const MAX_DURATION_MS = 365 * 86_400_000;
export const DURATION_UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const DURATION_RE = /^(\d+)(ms|s|m|h|d)$/;
export const DURATION_MSG = {
  format: 'must look like 500ms, 30s, 10m, 72h or 3d',
  max: 'must be at most 365d',
} as const;

/** A positive integer (ms) or a string like '72h' (the bound is checked apart). */
export function isDuration(d: unknown): d is number | string {
  return (typeof d === 'number' && Number.isInteger(d) && d > 0) || (typeof d === 'string' && DURATION_RE.test(d));
}

/** Convert an accepted duration to milliseconds. */
export function durationMs(d: number | string): number {
  if (typeof d === 'number') return d;
  const m = DURATION_RE.exec(d);
  if (!m) throw new Error(`bad duration ${d}`);
  return Number(m[1]) * DURATION_UNIT_MS[m[2] as keyof typeof DURATION_UNIT_MS];
}

/** Most orders carried inline in the workflow input; larger bulks are sent in chunks (see docs/bulk.md). */
export const INLINE_MAX = 1_000;
/** Largest chunk the `addOrders` update takes (~70 KB of ids at 64 characters). */
export const CHUNK_MAX = 1_000;
/** Most orders in one bulk. */
export const BULK_MAX = 100_000;
/** Most ids per batch call: the largest `maxIdsPerCall` of the providers with the batch capability. */
export const MAX_BATCH = Math.max(1, ...MANIFESTS.map((m) => m.capabilities.batchCancel?.maxIdsPerCall ?? 1));
/** Most children of a bulk in flight. */
export const CONCURRENCY_MAX = 500;

export const BULK_ID_RE = /^[A-Za-z0-9._-]+$/;
export const BULK_ID_MSG = {
  empty: 'must not be empty',
  long: 'must be at most 100 characters',
  chars: 'letters, digits, dot, dash and underscore only',
} as const;
export const INLINE_MSG = `at most ${INLINE_MAX} inline; send more with the bulk client`;
export const BATCH_MSG = `at most ${MAX_BATCH} (the adapter's limit)`;

/** Bounds of the bulk's `limits` (tuning for tests and benchmarks). */
export const LIMITS_RANGE = {
  historyThreshold: [100, 10_000],
  maxOrdersPerRun: [1, 20_000],
  bufferCapacity: [1, 5_000],
  // 4 calls of 100: a batch's final-steps activity carries up to 1,200 merchant calls (~1.2 MB with 200-character ids),
  // inside Temporal's 2 MB payload limit.
  callsPerBatch: [1, 4],
} as const;

/** Refusal messages of `addOrders` that mean "send the same chunk again shortly". */
export const BUSY = 'BUSY';

/** Cut a string to `max` characters, marking the cut. */
export function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

/** A refused value as text; never throws (`String({ toString: null })` would, and crash the workflow task). */
export function asText(v: unknown): string {
  try {
    return String(v);
  } catch {
    return Object.prototype.toString.call(v);
  }
}
