import type { Command } from 'commander';
import type { CancelOrderResult } from '../../contract';
import { WORKFLOW_TYPES } from '../../contract/workflows';
import { CliError, printJson, println, withClient, type Ctx } from './context';
import { resolveWorkflowId } from './ids';

interface SteerOpts {
  reason?: string;
  by?: string;
  signal?: boolean;
  json?: boolean;
}

/** `abort` and `retry`: updates by default (a refusal comes back with its reason), `--signal` to just send. */
export function registerSteer(program: Command): void {
  program
    .command('abort')
    .description('stop a cancellation (before the provider cancel: compensates; after it: refused, see --signal)')
    .argument('<id>', 'workflow id or provider:orderId')
    .requiredOption('--reason <text>', 'why (recorded in the timeline and sent to the merchant)')
    .option('--by <who>', 'who aborts')
    .option('--signal', 'send the plain `abort` signal (no answer; after the pivot it skips what is left)')
    .option('--json', 'print one JSON object')
    .action((rawId: string, opts: SteerOpts) => steer('abort', rawId, opts));
  program
    .command('retry')
    .description('run the step an operator is awaited for again, with a fresh retry budget')
    .argument('<id>', 'workflow id or provider:orderId')
    .option('--by <who>', 'who retries')
    .option('--signal', 'send the plain `retry` signal (no answer)')
    .option('--json', 'print one JSON object')
    .action((rawId: string, opts: SteerOpts) => steer('retry', rawId, opts));
  program
    .command('confirm')
    .description(
      'say what you checked at the provider, for orders whose provider state is unknown (a lost answer): ' +
        '--cancelled finishes them as CANCELLED (refund, restock, notify), --not-cancelled releases the hold',
    )
    .argument('<id>', 'workflow id (a cancellation or a batch) or provider:orderId')
    .option('--cancelled', 'the order IS cancelled at the provider')
    .option('--not-cancelled', 'the order is NOT cancelled at the provider')
    .option('--orders <ids>', 'a batch: comma-separated order ids you checked (default: every unknown order)')
    .option('--by <who>', 'who checked')
    .option('--note <text>', 'what you saw (recorded in the timeline)')
    .option('--json', 'print one JSON object')
    .action((rawId: string, opts: ConfirmOpts) => confirm(rawId, opts));
}

interface ConfirmOpts {
  cancelled?: boolean;
  notCancelled?: boolean;
  orders?: string;
  by?: string;
  note?: string;
  json?: boolean;
}

async function confirm(rawId: string, opts: ConfirmOpts): Promise<void> {
  if (opts.cancelled === opts.notCancelled)
    throw new CliError('confirm: give exactly one of --cancelled, --not-cancelled');
  const orderIds = opts.orders
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (opts.orders !== undefined && !orderIds?.length) throw new CliError('orders: give at least one order id');
  const id = resolveWorkflowId(rawId);
  const action = opts.cancelled ? 'confirmCancelled' : 'confirmNotCancelled';
  await withClient(async (ctx) => {
    await refuseIfClosed(ctx, id, action);
    const answer = await ctx.cancellations.confirm(id, opts.cancelled === true, {
      by: opts.by,
      note: opts.note,
      orderIds,
    });
    if (opts.json) printJson({ workflowId: id, action, accepted: true, answer, orderIds });
    else println(`${id}: ${answer}`, `  follow: npx cancel-orders status ${id}`);
  });
}

async function steer(kind: 'abort' | 'retry', rawId: string, opts: SteerOpts): Promise<void> {
  const id = resolveWorkflowId(rawId);
  if (kind === 'abort' && !opts.reason?.trim()) throw new CliError('reason: must not be empty');
  await withClient(async (ctx) => {
    const type = await refuseIfClosed(ctx, id, kind);
    const handle = ctx.client.workflow.getHandle(id);
    // A bulk takes only the abort signal; what waits for an operator is one of its children.
    const bulk = type === WORKFLOW_TYPES.bulkCancelOrders;
    if (bulk && kind === 'retry') {
      throw new CliError(
        `retry refused: a bulk has nothing to retry; its children waiting for an operator: npx cancel-orders status ${id}`,
      );
    }
    let answer: string;
    if (opts.signal || bulk) {
      const { abortSignal, retrySignal } = await import('../../contract/messages');
      if (kind === 'abort') await handle.signal(abortSignal, { reason: opts.reason ?? '', by: opts.by });
      else await handle.signal(retrySignal, { by: opts.by });
      answer = `${kind} signal sent`;
    } else {
      answer =
        kind === 'abort'
          ? await ctx.cancellations.abort(id, opts.reason ?? '', opts.by)
          : await ctx.cancellations.retry(id, opts.by);
    }
    if (opts.json) printJson({ workflowId: id, action: kind, accepted: true, answer });
    else println(`${id}: ${answer}`, `  follow: npx cancel-orders status ${id}`);
  });
}

/** A closed workflow takes no update or signal; say how it ended instead of a bare "not found". Returns its type. */
async function refuseIfClosed(ctx: Ctx, id: string, kind: string): Promise<string> {
  const desc = await ctx.client.workflow.getHandle(id).describe();
  if (desc.status.name === 'RUNNING') return desc.type;
  let how: string = desc.status.name;
  if (desc.status.name === 'COMPLETED' && desc.type === 'cancelOrder') {
    const r: CancelOrderResult = await ctx.cancellations.result(id);
    how = `${r.outcome} (${r.message})`;
  }
  throw new CliError(`${kind} refused: the cancellation already ended: ${how}`);
}
