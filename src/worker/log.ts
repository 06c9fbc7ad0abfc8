import { inspect } from 'node:util';
import { ApplicationFailure } from '@temporalio/common';
import type { LogEntry } from '@temporalio/worker';

/** An expected failure (a provider's or merchant's answer) in one line; anything else (a bug) keeps its stack. */
function describeError(err: unknown): string {
  if (err instanceof ApplicationFailure) return `${err.type ?? err.name}: ${err.message}`;
  return err instanceof Error ? (err.stack ?? String(err)) : inspect(err);
}

/** One log line: time, level, message (with the failure's type and message), the rest as compact JSON. */
export function formatLogEntry(entry: LogEntry): string {
  const at = new Date(Number(entry.timestampNanos / 1_000_000n)).toISOString();
  const { error, ...rest } = entry.meta ?? {};
  const what = error === undefined ? entry.message : `${entry.message}: ${describeError(error)}`;
  const meta = Object.keys(rest).length
    ? ` ${JSON.stringify(rest, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`
    : '';
  return `${at} [${entry.level}] ${what}${meta}`;
}

/** The worker's log function: one line per entry on stderr (a failed attempt is one line, not a stack trace). */
export function writeLogEntry(entry: LogEntry): void {
  process.stderr.write(formatLogEntry(entry) + '\n');
}
