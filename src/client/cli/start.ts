import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import type { CancelOrderResult } from '../../contract';
import { InvalidInputError } from '../../contract/errors';
import { PROVIDER_IDS } from '../../contract/providers';
import type { CancellationRequestAnswer, StartCancellationOptions } from '../cancellation-client';
import { CliError, EXIT, explain, oneLine, printJson, println, withClient, type Ctx } from './context';
import { giveUpMs, giveUpOption, outageLine, rideOut } from './outage';
import { priorityOption } from './priority';
import { CANCELLED_OUTCOMES, nextSteps, sh, stepLines, uiLink } from './render';
import { attachWarning, startJson, startLine } from './start-report';

interface StartOpts {
  provider: string;
  order: string;
  reason: string;
  note?: string;
  snapshotStatus?: string;
  snapshotPaid?: boolean;
  requestedBy?: string;
  operatorTimeout?: string;
  priority?: string;
  /** `--wait` alone is 'outcome'. */
  wait?: 'outcome' | 'accepted';
  giveUpAfter?: string;
  again?: boolean;
  json?: boolean;
}

/** `start`: validate, start (or attach to) the order's cancellation, optionally wait for its outcome. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('cancel one order (starting twice attaches to the running cancellation)')
    .requiredOption('--provider <provider>', PROVIDER_IDS.join(' | '))
    .requiredOption('--order <id>', "the provider's order id")
    .requiredOption(
      '--reason <code>',
      'customer_request | fraud | inventory | payment_declined | duplicate | staff | other',
    )
    .option('--note <text>', 'free text passed to the provider where it takes one')
    .option('--snapshot-status <status>', "the order's status as you know it (used when the provider has no lookup)")
    .option('--snapshot-paid', 'the customer paid (a refund is requested after the cancel)')
    .option('--requested-by <who>', 'who asks (shown in the timeline)')
    .option('--operator-timeout <duration>', 'how long to wait for an operator before aborting, e.g. 72h')
    .option('--priority <n>', 'task priority 1 (first) .. 5 (last); default 2, ahead of bulk work (4)')
    .addOption(
      new Option('--wait [what]', 'wait for the outcome, or only for the early answer (accepted: eligible and held)')
        .choices(['outcome', 'accepted'])
        .preset('outcome'),
    )
    .addOption(giveUpOption())
    .option('--again', 'start a new run even when an earlier run already left the order cancelled')
    .option('--json', 'print one JSON object on stdout (notes on stderr, one JSON object per line)')
    .action((opts: StartOpts) => start(opts));
}

async function start(opts: StartOpts): Promise<void> {
  const snapshot =
    opts.snapshotStatus !== undefined || opts.snapshotPaid
      ? { status: opts.snapshotStatus, ...(opts.snapshotPaid ? { paid: true } : {}) }
      : undefined;
  const input = {
    provider: opts.provider,
    orderId: opts.order,
    reason: { code: opts.reason, ...(opts.note !== undefined ? { note: opts.note } : {}) },
    requestedBy: opts.requestedBy ?? defaultRequester(),
    ...(snapshot ? { snapshot } : {}),
    ...(opts.operatorTimeout ? { options: { operatorTimeout: opts.operatorTimeout } } : {}),
  };
  const priority = priorityOption(opts.priority);
  const giveUp = giveUpMs(opts.giveUpAfter);
  await withClient(async (ctx) => {
    const { cancellations, env } = ctx;
    const startOpts = { priority, again: opts.again };
    if (opts.wait === 'accepted') return requestAccepted(ctx, input, startOpts, opts.json);
    // startCancellation validates first (InvalidInputError names the field); nothing is started on bad input.
    const handle = await cancellations.startCancellation(input, startOpts).catch(asCliError);
    const { workflowId: id, started, attachedTo, alreadyCancelled } = handle;
    const report = { started, attachedTo, alreadyCancelled };
    const warning = attachWarning(report);
    if (warning) process.stderr.write(warning + '\n');
    if (!opts.json) {
      const link = uiLink(env, id);
      // Printed before waiting: a wait that cannot read the result still shows that the cancellation runs.
      println(
        startLine(id, report),
        ...(alreadyCancelled ? [] : [`  follow: npx cancel-orders status ${id}`]),
        ...(link ? [`  ui:     ${link}`] : []),
      );
    }
    if (!opts.wait) {
      if (opts.json) printJson(startJson(id, handle.firstExecutionRunId, report));
      return;
    }
    // The outcome may take long (an operator, a provider outage): ride out a Temporal outage meanwhile.
    const result = await rideOut(() => handle.result(), {
      address: env.TEMPORAL_ADDRESS,
      giveUpMs: giveUp,
      workflowId: id,
      onEvent: (e) => process.stderr.write(outageLine(e, !!opts.json) + '\n'),
    }).catch((err: unknown) => {
      if (err instanceof CliError) throw err; // the wait's own end (gave up on an outage) already says it goes on
      const what = started ? 'started' : attachedTo ? 'attached to' : 'found';
      throw new CliError(`${what} ${id} but could not read its result: ${oneLine(explain(err, env))}`);
    });
    if (opts.json) printJson({ workflowId: id, ...report, ...result });
    else printResult(id, result);
    if (!CANCELLED_OUTCOMES.includes(result.outcome)) {
      throw new CliError(`not cancelled: ${result.outcome}: ${result.message}`, EXIT.NOT_CANCELLED);
    }
  });
}

/** `--wait accepted`: start (or attach) and wait only for the early answer; exit 0 when accepted or already cancelled. */
async function requestAccepted(
  ctx: Ctx,
  input: unknown,
  opts: StartCancellationOptions,
  json?: boolean,
): Promise<void> {
  // requestCancellation validates first too: nothing is started on bad input.
  const answer = await ctx.cancellations.requestCancellation(input, opts).catch(asCliError);
  const warning = attachWarning(answer);
  if (warning) process.stderr.write(warning + '\n');
  if (json) printJson(answer);
  else printAnswer(ctx, answer);
  if (!answer.accepted && answer.verdict !== 'ALREADY_CANCELLED') {
    throw new CliError(`not accepted: ${answer.verdict}: ${answer.message}`, EXIT.NOT_CANCELLED);
  }
}

function printAnswer({ env }: Ctx, a: CancellationRequestAnswer): void {
  const link = uiLink(env, a.workflowId);
  const how = a.attachedTo || a.alreadyCancelled ? [startLine(a.workflowId, a)] : [];
  println(
    ...how,
    `${a.workflowId}: ${a.verdict} — ${a.message}`,
    ...answerNext(a),
    ...(link ? [`  ui:      ${link}`] : []),
  );
}

/** What to do after an early answer, as commands to paste. */
function answerNext(a: CancellationRequestAnswer): string[] {
  const id = sh(a.workflowId);
  if (a.verdict === 'ACCEPTED') {
    return [`  outcome: npx cancel-orders status ${id}    # the provider's cancel and the merchant steps run on`];
  }
  if (a.verdict === 'AWAITING_OPERATOR') {
    return [
      'next:',
      `  npx cancel-orders status ${id}    # what failed`,
      `  npx cancel-orders retry ${id}    # or: abort ${id} --reason '...'`,
    ];
  }
  const ended = { workflowId: a.workflowId, state: a.verdict, outcome: a.verdict, providerCancelled: false };
  return ['next:', ...nextSteps(ended).map((n) => `  ${n}`)];
}

function asCliError(err: unknown): never {
  if (err instanceof InvalidInputError) throw new CliError(err.message);
  throw err;
}

function printResult(id: string, r: CancelOrderResult): void {
  const next = CANCELLED_OUTCOMES.includes(r.outcome)
    ? []
    : ['next:', ...nextSteps({ ...r, workflowId: id, state: r.outcome })];
  println(`${id}: ${r.outcome} — ${r.message}`, ...stepLines(r.steps), ...next.map((n, i) => (i ? `  ${n}` : n)));
}

function defaultRequester(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}
