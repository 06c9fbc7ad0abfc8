import type { Command } from 'commander';
import { PROVIDER_IDS } from '../../contract/providers';
import type {
  CancelStatus,
  Outcome,
  ProviderCancelled,
  State,
  StepError,
  StepRecord,
  TimelineEntry,
} from '../../contract';
import { CliError, printJson, println, withClient, type Ctx } from './context';
import { resolveWorkflowId } from './ids';
import { nextSteps, stepLines, uiLink } from './render';

/** What `status` shows, whether the workflow is running (query) or closed (its result). */
export interface StatusView {
  workflowId: string;
  runId: string;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, TERMINATED, ... */
  execution: string;
  provider?: string;
  orderId?: string;
  state?: State;
  outcome?: Outcome;
  message?: string;
  error?: StepError;
  providerCancelled: ProviderCancelled;
  awaiting?: CancelStatus['awaiting'];
  steps: StepRecord[];
  timeline: TimelineEntry[];
  next: string[];
  ui?: string;
}

/** `status ID`: a cancellation (state, steps, last error, what to do next), a bulk or a batch. */
export function registerStatus(program: Command): void {
  program
    .command('status')
    .description('show a cancellation (state, steps, last error, what to do next), a bulk or a batch')
    .argument(
      '<id>',
      `workflow id (cancel:${PROVIDER_IDS[0]}:123, bulk-cancel:…, …:batch:N) or provider:orderId (${PROVIDER_IDS[0]}:123)`,
    )
    .option('--orders', 'bulk: list each order with its outcome (batch: always listed)')
    .option('--limit <n>', 'bulk --orders: at most this many orders', '1000')
    .option('--json', 'print one JSON object')
    .action(async (rawId: string, opts: { orders?: boolean; limit: string; json?: boolean }) => {
      const id = resolveWorkflowId(rawId);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit <= 0) throw new CliError('--limit: must be a whole number > 0');
      await withClient(async (ctx) => {
        // A bulk or a batch has its own view; everything else is a single order's cancellation.
        const desc = await ctx.client.workflow.getHandle(id).describe();
        // Loaded here: it decodes history payloads (the SDK's internals), which start-up does not need.
        const { showGroup } = await import('./group-status');
        if (await showGroup(ctx, id, desc, { ...opts, limit })) return;
        const view = await loadStatus(ctx, id);
        if (opts.json) printJson(view);
        else println(...describeView(view));
      });
    });
}

async function loadStatus(ctx: Ctx, id: string): Promise<StatusView> {
  const handle = ctx.client.workflow.getHandle(id);
  const desc = await handle.describe();
  if (desc.type !== 'cancelOrder')
    throw new CliError(`${id} is a ${desc.type} workflow, not a single-order cancellation`);
  const sa = desc.searchAttributes;
  const base = {
    workflowId: id,
    runId: desc.runId,
    execution: desc.status.name,
    provider: sa.CancelProvider?.[0] as string | undefined,
    orderId: sa.CancelOrderId?.[0] as string | undefined,
    state: sa.CancelState?.[0] as State | undefined,
    providerCancelled: false,
    steps: [] as StepRecord[],
    timeline: [] as TimelineEntry[],
    ui: uiLink(ctx.env, id),
  };
  if (desc.status.name === 'COMPLETED') {
    const r = await ctx.cancellations.result(id);
    const view = { ...base, ...r, state: r.outcome as State, timeline: [] };
    return { ...view, next: nextSteps({ ...view, awaiting: undefined }) };
  }
  if (desc.status.name !== 'RUNNING') {
    const why = await handle.result().then(
      () => 'ended without a result',
      (err: unknown) =>
        err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err),
    );
    return {
      ...base,
      message: why,
      next: ['a bug or a termination ended it: read the history in the UI, then start again'],
    };
  }
  // A running workflow answers the query through a worker; do not hang when none is polling.
  const s = await ctx.client.connection
    .withDeadline(Date.now() + 10_000, () => ctx.cancellations.getStatus(id))
    .catch((err: unknown) => {
      throw new CliError(
        `${id} is running (state ${base.state ?? 'unknown'}) but no worker answered the status query ` +
          `(${err instanceof Error ? err.message.split('\n')[0] : String(err)}); is a worker polling ${ctx.env.TEMPORAL_TASK_QUEUE}?`,
      );
    });
  return { ...base, ...s, next: nextSteps(s) };
}

function describeView(v: StatusView): string[] {
  const what = v.provider ? `${v.provider} order ${v.orderId}` : '';
  const lines = [`${v.workflowId}   ${what}   (workflow ${v.execution})`, `state:    ${v.state ?? 'unknown'}`];
  if (v.outcome) lines.push(`outcome:  ${v.outcome}${v.message ? ` — ${v.message}` : ''}`);
  else if (v.message) lines.push(`message:  ${v.message}`);
  if (v.providerCancelled === 'unknown') lines.push('provider: UNKNOWN whether the provider cancelled (answer lost)');
  else if (v.providerCancelled) lines.push('provider: cancelled at the provider (cannot be undone)');
  if (v.awaiting) {
    const err = v.awaiting.error ? ` — ${v.awaiting.error.type}: ${v.awaiting.error.message}` : '';
    lines.push(`waiting:  for an operator on step "${v.awaiting.step}" since ${v.awaiting.since}${err}`);
  }
  lines.push('steps:', ...stepLines(v.steps));
  if (v.timeline.length) {
    lines.push('recent:', ...v.timeline.slice(-6).map((t) => `  ${t.at}  ${t.state.padEnd(22)} ${t.message}`));
  }
  lines.push('next:', ...v.next.map((n) => `  ${n}`));
  if (v.ui) lines.push(`ui:       ${v.ui}`);
  return lines;
}
