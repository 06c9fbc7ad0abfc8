import type { Command } from 'commander';
import { abortSignal, retrySignal, WORKFLOW_TYPES, type CancelOrderResult } from '../../contract';
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
