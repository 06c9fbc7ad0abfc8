import { Option } from 'commander';
import { DURATION_MSG, DURATION_RE, durationMs } from '../../contract/rules';
import { isServiceError, isUnreachable } from '../unreachable';
import { CliError, EXIT } from './context';

export { isUnreachable };

/** How long `--wait` rides out an unreachable server before it gives up (the workflow itself goes on regardless). */
export const DEFAULT_GIVE_UP_AFTER = '10m';
/** The environment variable behind `--give-up-after`. */
export const GIVE_UP_ENV = 'CANCEL_ORDERS_GIVE_UP_AFTER';

/** `--give-up-after <duration>` (env CANCEL_ORDERS_GIVE_UP_AFTER), for the commands that wait. */
export function giveUpOption(): Option {
  return new Option(
    '--give-up-after <duration>',
    'with --wait: keep re-attaching while Temporal is unreachable for this long (e.g. 30s, 10m, 2h), then exit 1',
  )
    .env(GIVE_UP_ENV)
    .default(DEFAULT_GIVE_UP_AFTER);
}

/** The give-up time in ms; a usage error naming the option when it is not a duration. */
export function giveUpMs(raw: string | undefined): number {
  const value = (raw ?? DEFAULT_GIVE_UP_AFTER).trim();
  if (!DURATION_RE.test(value) || durationMs(value) === 0) {
    throw new CliError(
      `--give-up-after (${GIVE_UP_ENV}): ${DURATION_MSG.format}, got ${JSON.stringify(raw)}`,
      EXIT.USAGE,
    );
  }
  return durationMs(value);
}

/** What the waiting command says while the server is away. */
export type OutageEvent =
  | { event: 'unreachable'; address: string; since: string; retryInMs: number; giveUpAt: string; error: string }
  | { event: 'reachable'; address: string; downForMs: number };

export interface RideOutOptions {
  address: string;
  giveUpMs: number;
  /** What the command follows, for the give-up line (e.g. a workflow id). */
  workflowId: string;
  /** Told on each failed attempt and once when the server answers again. */
  onEvent: (e: OutageEvent) => void;
  /** Pause between attempts (tests pass a fake; default setTimeout). */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** First and largest pause between re-attach attempts. */
export const BACKOFF = { initialMs: 1_000, maxMs: 15_000 } as const;

/**
 * Run `attempt` (a wait on the server, e.g. a workflow's result) again with backoff while the server is unreachable.
 * Gives up (CliError, exit 1) once it was unreachable for `giveUpMs` without a break; any other error is rethrown.
 */
export async function rideOut<T>(attempt: () => Promise<T>, opts: RideOutOptions): Promise<T> {
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let since: number | undefined;
  let pause: number = BACKOFF.initialMs;
  for (;;) {
    try {
      const value = await attempt();
      if (since !== undefined) opts.onEvent({ event: 'reachable', address: opts.address, downForMs: now() - since });
      return value;
    } catch (err) {
      if (!isUnreachable(err)) throw err;
      since ??= now();
      const left = since + opts.giveUpMs - now();
      if (left <= 0) {
        throw new CliError(
          `gave up after ${Math.round((now() - since) / 1000)} s: Temporal at ${opts.address} is unreachable ` +
            `(--give-up-after ${Math.round(opts.giveUpMs / 1000)} s); ${opts.workflowId} goes on in Temporal: ` +
            `follow it later with npx cancel-orders status ${opts.workflowId}`,
        );
      }
      const retryInMs = Math.min(pause, left);
      opts.onEvent({
        event: 'unreachable',
        address: opts.address,
        since: new Date(since).toISOString(),
        retryInMs,
        giveUpAt: new Date(since + opts.giveUpMs).toISOString(),
        error: firstLine(err),
      });
      await sleep(retryInMs);
      pause = Math.min(pause * 2, BACKOFF.maxMs);
    }
  }
}

/** Outage events as stderr lines: plain for people, one JSON object per line under --json (stdout stays one object). */
export function outageLine(e: OutageEvent, json: boolean): string {
  if (json) return JSON.stringify(e);
  if (e.event === 'reachable')
    return `Temporal at ${e.address} answers again (down ${Math.round(e.downForMs / 1000)} s); following on`;
  return (
    `Temporal at ${e.address} is unreachable (${e.error}); retrying in ${Math.round(e.retryInMs / 1000)} s, ` +
    `giving up at ${e.giveUpAt}`
  );
}

function firstLine(err: unknown): string {
  const cause = isServiceError(err) && err.cause ? err.cause : err;
  const text = cause instanceof Error ? cause.message : String(cause);
  return text.split('\n')[0].slice(0, 160);
}
