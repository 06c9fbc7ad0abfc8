import os from 'node:os';
import type { Command } from 'commander';
import { PROVIDER_IDS, type ProviderId } from '../../contract/providers';
import { manifestOf } from '../../providers/registry';
import type { ProviderQueueState } from '../../provider-queues';
import { CliError, printJson, println, withClient, type Ctx } from './context';
import { table } from './table';

type Queues = typeof import('../../provider-queues');

const NO_API =
  'this Temporal server has no task-queue config API (Temporal Server 1.29+ has it): caps are worker-side ' +
  '(<PROVIDER>_MAX_CALLS_PER_SECOND) and providers cannot be paused';

/** `providers`, `providers pause <p> --reason R`, `providers resume <p>`: each provider queue's cap, pause and backlog. */
export function registerProviders(program: Command): void {
  const cmd = program
    .command('providers')
    .description("each provider's task queue: rate cap (and why), backlog, pollers; pause or resume a provider")
    .option('--json', 'print one JSON object')
    .action((opts: { json?: boolean }) => list(opts));
  cmd
    .command('pause <provider>')
    .description(
      'stop every call to a provider (its queue rate limit set to 0); cancellations wait, spending no retries',
    )
    .requiredOption('--reason <text>', 'why (kept with the limit; shown by `cancel-orders providers`)')
    .action((provider: string, opts: { reason: string }) => pause(provider, opts.reason));
  cmd
    .command('resume <provider>')
    .description(
      'let calls to a provider go again: back to --max-calls-per-second, else <PROVIDER>_MAX_CALLS_PER_SECOND ' +
        "of this shell, else the provider's default cap, else no cap",
    )
    .option('--max-calls-per-second <n>', 'the cap to resume with')
    .option('--reason <text>', 'why (kept with the limit)')
    .action((provider: string, opts: { maxCallsPerSecond?: string; reason?: string }) => resume(provider, opts));
  for (const sub of cmd.commands) sub.exitOverride();
}

function checkProvider(provider: string): ProviderId {
  if (!(PROVIDER_IDS as readonly string[]).includes(provider))
    throw new CliError(`invalid provider: must be one of ${PROVIDER_IDS.join(', ')}`);
  return provider as ProviderId;
}

function checkReason(reason: string | undefined, field = 'reason'): string {
  const r = reason?.trim() ?? '';
  if (!r) throw new CliError(`invalid ${field}: must not be empty`);
  if (r.length > 200) throw new CliError(`invalid ${field}: at most 200 characters`);
  return r;
}

/** The cap to resume with: the flag, else the variable of this shell (the workers' own), else the manifest's, else none. */
async function resumeCap(provider: ProviderId, flag: string | undefined): Promise<{ cap?: number; from: string }> {
  if (flag !== undefined) {
    const cap = Number(flag);
    if (!(flag.trim() !== '' && Number.isFinite(cap) && cap > 0))
      throw new CliError('invalid --max-calls-per-second: must be a number > 0');
    return { cap, from: '--max-calls-per-second' };
  }
  const name = `${provider.toUpperCase() as Uppercase<ProviderId>}_MAX_CALLS_PER_SECOND` as const;
  const [{ workerEnvSchema }, { parseEnv }] = await Promise.all([import('../../config'), import('../../config/env')]);
  const cap = parseEnv(workerEnvSchema.pick({ [name]: true } as Record<typeof name, true>), process.env)[name];
  if (cap !== undefined) return { cap, from: name };
  const fallback = manifestOf(provider).maxCallsPerSecond;
  return fallback === undefined
    ? { from: `${name} not set: no cap` }
    : { cap: fallback, from: `${provider}'s default` };
}

async function withQueues<T>(
  fn: (ctx: Ctx, where: { namespace: string; taskQueue: string; identity: string }, q: Queues) => Promise<T>,
) {
  // Loaded per command: the task-queue API (and its protos) is not needed to start the CLI.
  const q = await import('../../provider-queues');
  return withClient(async (ctx) => {
    const where = {
      namespace: ctx.env.TEMPORAL_NAMESPACE,
      taskQueue: ctx.env.TEMPORAL_TASK_QUEUE,
      identity: `cancel-orders ${os.userInfo().username}@${os.hostname()}`,
    };
    try {
      return await fn(ctx, where, q);
    } catch (err) {
      if (q.isUnimplemented(err)) throw new CliError(NO_API);
      throw err;
    }
  });
}

const capText = (s: ProviderQueueState) =>
  s.cap === undefined ? 'no cap' : s.cap === 0 ? 'PAUSED' : `≤ ${s.cap} calls/s`;
/** The queue limit behind a cap, and why it is about half the cap (docs/operations.md: provider rate caps). */
const limitText = (s: ProviderQueueState) =>
  s.queueLimit ? `${s.queueLimit}/s over ${s.partitions} partition(s)` : '';

async function list(opts: { json?: boolean }): Promise<void> {
  await withQueues(async (ctx, where, q) => {
    const states = await q.describeProviderQueues(ctx.client.workflowService, where);
    if (opts.json) return printJson({ taskQueue: where.taskQueue, providers: states });
    const why = (s: ProviderQueueState) =>
      s.reason ? `${s.reason}${s.updatedBy ? `; ${s.updatedBy}` : ''}${s.updatedAt ? `, ${s.updatedAt}` : ''}` : '';
    const rows = states.map((s) => [
      s.provider,
      s.queue,
      capText(s),
      String(s.backlog),
      String(s.pollers.length),
      limitText(s),
      why(s),
    ]);
    println(
      ...table(rows, {
        header: ['PROVIDER', 'TASK QUEUE', 'CAP', 'BACKLOG', 'POLLERS', 'QUEUE LIMIT', 'REASON'],
        right: [3, 4],
      }),
    );
  });
}

async function pause(raw: string, rawReason: string): Promise<void> {
  const provider = checkProvider(raw);
  const reason = checkReason(rawReason);
  await withQueues(async (ctx, where, q) => {
    await q.setProviderCap(ctx.client.workflowService, where, provider, 0, reason);
    const s = await q.describeProviderQueue(ctx.client.workflowService, where, provider);
    println(
      `${provider} paused: no call leaves ${s.queue} until \`cancel-orders providers resume ${provider}\` (${reason})`,
    );
    if (s.backlog > 0) println(`${s.backlog} call(s) waiting`);
  });
}

async function resume(raw: string, opts: { maxCallsPerSecond?: string; reason?: string }): Promise<void> {
  const provider = checkProvider(raw);
  const { cap, from } = await resumeCap(provider, opts.maxCallsPerSecond);
  const reason = opts.reason === undefined ? `resumed (${from})` : checkReason(opts.reason);
  await withQueues(async (ctx, where, q) => {
    await q.setProviderCap(ctx.client.workflowService, where, provider, cap, reason);
    const s = await q.describeProviderQueue(ctx.client.workflowService, where, provider);
    const limit = s.queueLimit ? `, queue limit ${limitText(s)}` : '';
    println(`${provider} resumed: ${capText(s)} on ${s.queue} (${from}${limit}); ${s.backlog} call(s) waiting`);
  });
}
