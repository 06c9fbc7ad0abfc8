import { inspect } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import type { LogEntry } from '@temporalio/worker';

/**
 * Known WARNs that are normal here: a provider queue's worker runs activities only (./provider-workers.ts), and the
 * SDK warns once per such worker at start.
 */
const EXPECTED_WARNINGS = new Set(['No workflows registered, not polling for workflow tasks']);

/** Meta keys never printed: the SDK puts each activity's task token (a long base64 blob) in its log meta. */
const DROPPED_KEYS = new Set(['taskToken', 'base64TaskToken']);
/** A value that is a long base64 blob (a token, a payload) says nothing to a reader and makes lines unreadable. */
const BASE64_BLOB = /^[A-Za-z0-9+/]{64,}={0,2}$/;

/** An expected failure (a provider's or merchant's answer) in one line; anything else (a bug) keeps its stack. */
function describeError(err: unknown): string {
  if (err instanceof ApplicationFailure) return `${err.type ?? err.name}: ${err.message}`;
  return err instanceof Error ? (err.stack ?? String(err)) : inspect(err);
}

/** JSON of the meta without task tokens and other base64 blobs; bigints as strings. */
function metaJson(meta: Record<string, unknown>): string {
  return JSON.stringify(meta, (k, v: unknown) => {
    if (DROPPED_KEYS.has(k) || (typeof v === 'string' && BASE64_BLOB.test(v))) return undefined;
    return typeof v === 'bigint' ? String(v) : v;
  });
}

/** One log line: time, level, message (with the failure's type and message), the rest as compact JSON. */
export function formatLogEntry(entry: LogEntry): string {
  const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const { error, ...rest } = entry.meta ?? {};
  const what = error === undefined ? entry.message : `${entry.message}: ${describeError(error)}`;
  const json = metaJson(rest);
  const meta = json === '{}' ? '' : ` ${json}`;
  return `${at} [${entry.level}] ${what}${meta}`;
}

/** True for the SDK's WARNs that are normal in this worker (they are not printed). */
export function isExpectedWarning(entry: LogEntry): boolean {
  return entry.level === 'WARN' && EXPECTED_WARNINGS.has(entry.message);
}

/** The worker's log function: one line per entry on stderr (a failed attempt is one line, not a stack trace). */
export function writeLogEntry(entry: LogEntry): void {
  if (isExpectedWarning(entry)) return;
  process.stderr.write(formatLogEntry(entry) + '\n');
}
