import type { Command } from 'commander';
import { PROVIDER_IDS } from '../../providers/types';
import type { BatchResult } from '../../contract';
import { OUTCOMES, STATES } from '../../contract/model';
import { WORKFLOW_TYPES } from '../../contract/workflows';
import type { ListedCancellation } from '../cancellation-client';
import { batchDoneState, countOutcomes } from './batch-state';
import { CliError, printJson, println, withClient, type Ctx } from './context';
import { table } from './table';

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
  await withClient(async (ctx) => {
    const listed = await ctx.cancellations.list({ state, provider: opts.provider, bulkId: opts.bulk, limit });
    const items = await Promise.all(listed.map((i) => withBatchOutcomes(ctx, i)));
    if (opts.json) return printJson({ count: items.length, items });
    if (items.length === 0) return println('no cancellation matches');
    const rows = items.map((i) => [
      i.startTime.toISOString(),
      i.orders ? batchDoneState(i.orders.byOutcome) : (i.state ?? '?'),
      i.status,
      i.workflowId,
      i.bulkId ? `bulk ${i.bulkId}` : '',
    ]);
    println(
      ...table(rows, { header: ['STARTED', 'STATE', 'EXECUTION', 'WORKFLOW', 'BULK'] }),
      `${items.length} shown${items.length === limit ? ` (limit ${limit}; use --limit)` : ''}`,
    );
  });
}

type ListedWithOrders = ListedCancellation & { orders?: { total: number; byOutcome: Record<string, number> } };

/** An ended batch: its orders' outcomes (its CancelState says DONE whatever they were). */
async function withBatchOutcomes(ctx: Ctx, item: ListedCancellation): Promise<ListedWithOrders> {
  if (item.type !== WORKFLOW_TYPES.cancelFincartBatch || item.status !== 'COMPLETED') return item;
  const r = (await ctx.client.workflow.getHandle(item.workflowId).result()) as BatchResult;
  return { ...item, orders: { total: r.results.length, byOutcome: countOutcomes(r.results.map((o) => o.outcome)) } };
}
