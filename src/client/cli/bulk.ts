import { userInfo } from 'node:os';
import { SingleBar, Presets } from 'cli-progress';
import type { Command } from 'commander';
import type { StartedBulk } from '../bulk-client';
import type { BulkProgress, BulkResult, ProviderId } from '../../contract';
import { InvalidInputError } from '../../contract/errors';
import { batchCapability, PROVIDER_IDS } from '../../contract/providers';
import { MAX_BATCH } from '../../contract/rules';
import { CliError, EXIT, printJson, println, withClient } from './context';
import { awaitingText, outcomeCounts } from './group-render';
import { giveUpMs, giveUpOption, outageLine, rideOut, type OutageEvent } from './outage';
import { Poller } from './poller';
import { uiLink } from './render';
import { priorityOption } from './priority';

/** The providers that cancel in batches (their bulks get batch children). */
const BATCHING = PROVIDER_IDS.filter((id) => batchCapability(id)).join(', ') || 'batch providers';

interface BulkOpts {
  provider: string;
  ordersFile: string;
  reason: string;
  note?: string;
  batchSize?: string;
  concurrency?: string;
  bulkId?: string;
  priority?: string;
  wait?: boolean;
  giveUpAfter?: string;
  json?: boolean;
}

/** `bulk`: validate a file of orders, start the bulk, feed it, and (with --wait) follow it to the end. */
export function registerBulk(program: Command): void {
  program
    .command('bulk')
    .description('cancel many orders of one provider from a file (one id per line, or CSV with an order_id column)')
    .requiredOption('--provider <provider>', PROVIDER_IDS.join(' | '))
    .requiredOption(
      '--orders-file <path>',
      'ids one per line, or CSV with a header naming order_id (optional status, paid)',
    )
    .option(
      '--reason <code>',
      'customer_request | fraud | inventory | payment_declined | duplicate | staff | other',
      'other',
    )
    .option('--note <text>', 'free text passed to the provider where it takes one')
    .option('--batch-size <n>', `${BATCHING}: ids per batch call (default ${MAX_BATCH}, the most the adapter takes)`)
    .option('--concurrency <n>', `children in flight (default 50; ${BATCHING}: 8 batches)`)
    .option('--bulk-id <id>', 'name the bulk (default: a new UUID); the same id resumes a bulk still running')
    .option('--priority <n>', 'task priority 1 (first) .. 5 (last) of the bulk and its children (default 4)')
    .option('--wait', 'wait for the result (re-attaching while Temporal is unreachable, see --give-up-after)')
    .addOption(giveUpOption())
    .option('--json', 'print one JSON object on stdout (notes on stderr, one JSON object per line)')
    .action((opts: BulkOpts) => bulk(opts));
}

function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new CliError(`--${name} must be a whole number, got ${JSON.stringify(v)}`, EXIT.USAGE);
  return Number(v);
}

async function bulk(opts: BulkOpts): Promise<void> {
  // Loaded here: its zod checks are not needed to start the CLI.
  const { OrdersFileError, readOrdersFile } = await import('../orders-file');
  const orders = await readOrdersFile(opts.ordersFile).catch((err: unknown) => {
    throw err instanceof OrdersFileError ? new CliError(err.message) : err;
  });
  const input = {
    provider: opts.provider as ProviderId,
    orders,
    reason: { code: opts.reason as 'other', ...(opts.note !== undefined ? { note: opts.note } : {}) },
    batchSize: int('batch-size', opts.batchSize),
    concurrency: int('concurrency', opts.concurrency),
    bulkId: opts.bulkId,
    requestedBy: safeUser(),
  };
  const giveUp = giveUpMs(opts.giveUpAfter);
  await withClient(async ({ client, env }) => {
    const { BulkClient } = await import('../bulk-client');
    const bc = new BulkClient({ client, taskQueue: env.TEMPORAL_TASK_QUEUE, unreachableBudgetMs: giveUp });
    // Validation (ids with positions, duplicates) runs before anything is started.
    const priority = priorityOption(opts.priority);
    const started = await bc.startBulkCancellation(input, { priority }).catch((err: unknown) => {
      if (err instanceof InvalidInputError) throw new CliError(err.message);
      throw err;
    });
    const bar = !opts.json && process.stderr.isTTY ? new ProgressBar(started.total) : undefined;
    // Each poll bounded by a deadline, so an outage cannot stack them up or hold the exit.
    const poller = bar
      ? new Poller(
          () =>
            client.connection
              .withDeadline(Date.now() + 5_000, () => bc.getBulkProgress(started.workflowId))
              .then((p) => bar.update(p)),
          500,
        ).start()
      : undefined;
    const onEvent = (e: OutageEvent) =>
      bar ? bar.note(outageLine(e, false)) : process.stderr.write(outageLine(e, !!opts.json) + '\n');
    let result: BulkResult | undefined;
    let progress: BulkProgress | undefined;
    try {
      await started.sent;
      if (opts.wait) {
        const wait = { address: env.TEMPORAL_ADDRESS, giveUpMs: giveUp, workflowId: started.workflowId, onEvent };
        result = await rideOut(() => started.handle.result(), wait);
      } else progress = await bc.getBulkProgress(started.workflowId).catch(() => undefined);
    } finally {
      // No call may be in flight when withClient closes the connection.
      await poller?.stop();
      bar?.stop(result);
    }
    report(opts, started, uiLink(env, started.workflowId), result, progress);
    if (result && result.cancelled < result.total) process.exitCode = EXIT.NOT_CANCELLED;
  });
  if (process.exitCode === EXIT.NOT_CANCELLED)
    throw new CliError('some orders did not end cancelled (see above)', EXIT.NOT_CANCELLED);
}

function report(
  opts: BulkOpts,
  s: StartedBulk,
  ui: string | undefined,
  result?: BulkResult,
  progress?: BulkProgress,
): void {
  if (opts.json) {
    printJson({
      workflowId: s.workflowId,
      bulkId: s.bulkId,
      total: s.total,
      duplicatesRemoved: s.duplicatesRemoved,
      ui,
      ...(result ? { result } : { progress }),
    });
    return;
  }
  const lines = [
    `bulk ${s.bulkId}: ${s.total} order(s) sent to ${s.workflowId}${s.duplicatesRemoved ? ` (${s.duplicatesRemoved} duplicate(s) dropped)` : ''}`,
  ];
  if (ui) lines.push(`Web UI: ${ui}`);
  if (result) {
    lines.push(`${result.state}: ${result.cancelled}/${result.total} cancelled — ${outcomeCounts(result.byOutcome)}`);
    for (const n of result.notCancelled.slice(0, 20)) lines.push(`  ${n.orderId}  ${n.outcome}  ${n.reason}`);
    const more = result.notCancelled.length - 20 + result.notCancelledOmitted;
    if (more > 0) lines.push(`  … and ${more} more: ${result.howToList}`);
  } else {
    if (progress) lines.push(`running: ${progress.done}/${progress.total} done — ${outcomeCounts(progress.byOutcome)}`);
    lines.push(`follow it: npx cancel-orders status ${s.workflowId}   (--orders: each order's outcome)`);
  }
  println(...lines);
}

/** A live bar on stderr: done/total, by outcome, in flight, awaiting an operator, and an outage note. */
class ProgressBar {
  private readonly bar = new SingleBar(
    {
      format:
        'bulk [{bar}] {value}/{total} {percentage}% | in flight {inFlight} | awaiting operator {awaiting} | {by}{note}',
      stream: process.stderr,
      hideCursor: true,
    },
    Presets.shades_classic,
  );

  constructor(total: number) {
    this.bar.start(total, 0, { inFlight: 0, awaiting: 0, by: '', note: '' });
  }

  update(p: BulkProgress): void {
    this.bar.update(p.done, {
      inFlight: p.inFlight,
      awaiting: awaitingText(p),
      by: outcomeCounts(p.byOutcome),
      note: '',
    });
  }

  /** Shown after the counts until the next successful poll (e.g. "Temporal ... unreachable; retrying"). */
  note(text: string): void {
    this.bar.update({ note: ` | ${text}` });
  }

  stop(result?: BulkResult): void {
    if (result)
      this.bar.update(result.total, { inFlight: 0, awaiting: 0, by: outcomeCounts(result.byOutcome), note: '' });
    this.bar.stop();
  }
}

function safeUser(): string | undefined {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return undefined;
  }
}
