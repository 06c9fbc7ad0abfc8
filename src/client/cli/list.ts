import type { Command } from 'commander';
import { PROVIDER_IDS } from '../../providers/types';
import { OUTCOMES, STATES } from '../../contract';
import { CliError, printJson, println, withClient } from './context';

interface ListOpts {
  state?: string;
  provider?: string;
  bulk?: string;
  limit: string;
  json?: boolean;
}

const KNOWN_STATES: readonly string[] = [...STATES, ...OUTCOMES];

/** `list`: cancellations filtered by the search attributes (visibility lags a second or so behind). */
export function registerList(program: Command): void {
  program
    .command('list')
    .description('list cancellations by state, provider or bulk id (newest first)')
    .option('--state <state>', `one of ${KNOWN_STATES.join(', ')}`)
    .option('--provider <provider>', PROVIDER_IDS.join(' | '))
    .option('--bulk <bulkId>', 'children of one bulk request (a batch provider: its batch workflows)')
    .option('--limit <n>', 'at most this many', '100')
    .option('--json', 'print one JSON object')
    .action((opts: ListOpts) => list(opts));
}

async function list(opts: ListOpts): Promise<void> {
  const state = opts.state?.trim().toUpperCase();
  if (state !== undefined && !KNOWN_STATES.includes(state)) {
    throw new CliError(`invalid list filter: state: must be one of ${KNOWN_STATES.join(', ')}`);
  }
  if (opts.provider !== undefined && !(PROVIDER_IDS as readonly string[]).includes(opts.provider)) {
    throw new CliError(`invalid list filter: provider: must be one of ${PROVIDER_IDS.join(', ')}`);
  }
  const limit = Number(opts.limit);
  if (!Number.isInteger(limit) || limit <= 0)
    throw new CliError('invalid list filter: limit: must be a whole number > 0');
  await withClient(async ({ cancellations }) => {
    const items = await cancellations.list({ state, provider: opts.provider, bulkId: opts.bulk, limit });
    if (opts.json) return printJson({ count: items.length, items });
    if (items.length === 0) return println('no cancellation matches');
    println(
      ...items.map(
        (i) =>
          `${i.startTime.toISOString()}  ${(i.state ?? '?').padEnd(22)} ${i.status.padEnd(10)} ${i.workflowId}` +
          (i.bulkId ? `  bulk ${i.bulkId}` : ''),
      ),
      `${items.length} shown${items.length === limit ? ` (limit ${limit}; use --limit)` : ''}`,
    );
  });
}
