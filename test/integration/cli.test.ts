import { WorkflowNotFoundError } from '@temporalio/common';
import { runCli, type CliRun } from '../helpers/cli';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();

/** The real CLI as a child process (`node bin/cancel-orders.js ...`), pointed at this file's dev server. */
const cli = (taskQueue: string, ...args: string[]): Promise<CliRun> => runCli(stack.env.address, taskQueue, args);

/** One `error: ...` line on stderr, nothing else. */
function oneErrorLine(run: CliRun): string {
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  return lines[0];
}

const uniq = (name: string) => `${name}-${process.pid}-${Date.now()}`;

it('start --wait --json cancels an order; status, abort (refused) and list see the outcome', async () => {
  const orderId = uniq('cli-fng');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PAID', paid: true }]);
  const { worker, taskQueue } = await stack.newWorker();
  const workflowId = `cancel:fungies:${orderId}`;

  const started = await worker.runUntil(
    cli(
      taskQueue,
      'start',
      '--provider',
      'fungies',
      '--order',
      orderId,
      '--reason',
      'customer_request',
      '--wait',
      '--json',
    ),
  );
  expect(started.stderr).toBe('');
  expect(started.code).toBe(0);
  const result = JSON.parse(started.stdout);
  expect(result).toMatchObject({
    workflowId,
    outcome: 'CANCELLED',
    provider: 'fungies',
    orderId,
    providerCancelled: true,
  });
  expect(stack.sandbox.fungies.orders.get(orderId)?.status).toBe('CANCELLED');

  // status of a finished cancellation needs no worker: it reads the result.
  const status = await cli(taskQueue, 'status', `fungies:${orderId}`, '--json');
  expect(status.code).toBe(0);
  const view = JSON.parse(status.stdout);
  expect(view).toMatchObject({ workflowId, execution: 'COMPLETED', state: 'CANCELLED', outcome: 'CANCELLED' });
  expect(view.steps.find((s: { name: string }) => s.name === 'cancel')).toMatchObject({ status: 'done', attempts: 1 });
  const human = await cli(taskQueue, 'status', workflowId);
  expect(human.stdout).toMatch(/state: +CANCELLED/);
  expect(human.stdout).toMatch(/next:\n {2}nothing: the order is cancelled/);

  const abort = await cli(taskQueue, 'abort', workflowId, '--reason', 'too late');
  expect(abort.code).not.toBe(0);
  expect(oneErrorLine(abort)).toMatch(/^error: abort refused: the cancellation already ended: CANCELLED/);

  // Visibility is eventually consistent: wait until the server lists it, then ask the CLI.
  await waitFor(
    async () =>
      (await stack.env.client.workflow.count(`WorkflowId = "${workflowId}" AND CancelState = "CANCELLED"`)).count,
    'the cancellation to be listed as CANCELLED',
  );
  const list = await cli(taskQueue, 'list', '--state', 'CANCELLED', '--provider', 'fungies', '--json');
  expect(list.code).toBe(0);
  const listed = JSON.parse(list.stdout);
  expect(listed.items).toEqual(expect.arrayContaining([expect.objectContaining({ workflowId, state: 'CANCELLED' })]));
});

it('invalid input: one line naming the field, non-zero exit, and no workflow started', async () => {
  const orderId = uniq('cli-bad');
  const empty = await cli('unused', 'start', '--provider', 'fungies', '--order', '', '--reason', 'customer_request');
  expect(empty.code).toBe(1);
  expect(empty.stdout).toBe('');
  expect(oneErrorLine(empty)).toBe('error: invalid cancellation: orderId: must not be empty');

  const reason = await cli('unused', 'start', '--provider', 'fungies', '--order', orderId, '--reason', 'bored');
  expect(reason.code).toBe(1);
  expect(oneErrorLine(reason)).toMatch(/^error: invalid cancellation: reason\.code: /);
  const start = ['start', '--provider', 'fungies', '--order', orderId, '--reason', 'fraud'];
  const notANumber = await cli('unused', ...start, '--priority', 'high');
  expect(notANumber.code).toBe(2);
  expect(oneErrorLine(notANumber)).toBe(
    'error: --priority must be a whole number from 1 (first) to 5 (last), got "high"',
  );
  const outOfRange = await cli('unused', ...start, '--priority', '9');
  expect(outOfRange.code).toBe(1);
  expect(oneErrorLine(outOfRange)).toMatch(/^error: priority\.priorityKey: must be a whole number from 1 .* got 9$/);
  await expect(stack.env.client.workflow.getHandle(`cancel:fungies:${orderId}`).describe()).rejects.toBeInstanceOf(
    WorkflowNotFoundError,
  );

  const filter = await cli('unused', 'list', '--state', 'DONE');
  expect(filter.code).toBe(1);
  expect(oneErrorLine(filter)).toMatch(/^error: invalid list filter: state: must be one of /);
});

it('an order that is no longer cancellable: the outcome JSON, exit 3 and one error line', async () => {
  const orderId = uniq('cli-shipped');
  stack.sandbox.fastpod.seed([{ id: orderId, status: 'shipped' }]);
  const { worker, taskQueue } = await stack.newWorker();
  const run = await worker.runUntil(
    cli(taskQueue, 'start', '--provider', 'fastpod', '--order', orderId, '--reason', 'inventory', '--wait', '--json'),
  );
  expect(run.code).toBe(3);
  expect(JSON.parse(run.stdout)).toMatchObject({ outcome: 'NOT_ELIGIBLE', providerCancelled: false });
  expect(oneErrorLine(run)).toMatch(/^error: not cancelled: NOT_ELIGIBLE: /);
  expect(stack.sandbox.fastpod.requestsFor('cancel', orderId)).toHaveLength(0);
});

it('status of an unknown id says so in one line', async () => {
  const run = await cli('unused', 'status', `fungies:${uniq('nobody')}`);
  expect(run.code).toBe(1);
  expect(oneErrorLine(run)).toMatch(/^error: no cancellation with id cancel:fungies:nobody-/);
});

it('start --wait accepted answers once the order is held (exit 0), or says why not (exit 3)', async () => {
  const held = uniq('cli-early');
  const shipped = uniq('cli-early-shipped');
  stack.sandbox.fungies.seed([{ id: held, status: 'PAID', paid: true }]);
  stack.sandbox.fastpod.seed([{ id: shipped, status: 'shipped' }]);
  const { worker, taskQueue } = await stack.newWorker();
  const start = (provider: string, order: string, ...rest: string[]) =>
    cli(taskQueue, 'start', '--provider', provider, '--order', order, '--reason', 'customer_request', ...rest);
  const { runs, result } = await worker.runUntil(async () => {
    const runs = await Promise.all([
      start('fungies', held, '--wait', 'accepted'),
      start('fastpod', shipped, '--wait', 'accepted', '--json'),
      start('fungies', held, '--wait', 'soon'),
    ]);
    return { runs, result: await stack.env.client.workflow.getHandle(`cancel:fungies:${held}`).result() };
  });
  const [human, refused, bad] = runs;
  expect(human.stderr).toBe('');
  expect(human.code).toBe(0);
  expect(human.stdout).toMatch(new RegExp(`^cancel:fungies:${held}: ACCEPTED — eligible and held at the merchant`));
  expect(refused.code).toBe(3);
  expect(JSON.parse(refused.stdout)).toMatchObject({
    workflowId: `cancel:fastpod:${shipped}`,
    accepted: false,
    verdict: 'NOT_ELIGIBLE',
  });
  expect(oneErrorLine(refused)).toMatch(/^error: not accepted: NOT_ELIGIBLE: /);
  expect(bad.code).toBe(2);
  expect(oneErrorLine(bad)).toMatch(/'soon' is invalid. Allowed choices are outcome, accepted/);
  // The saga went on after the early answer: the order ends cancelled at the provider, once.
  expect(result.outcome).toBe('CANCELLED');
  expect(stack.sandbox.fungies.requestsFor('cancel', held)).toHaveLength(1);
});

it('a lost answer that cannot be read back: status says "provider state unknown" and offers confirm; confirm --cancelled finishes it', async () => {
  const orderId = uniq('cli-lost');
  const ecom = stack.sandbox.ecom;
  ecom.seed([{ id: orderId, status: 'pending' }]);
  ecom.injectFault({ route: 'cancel', orderId, lostAnswer: true, times: 3 });
  const { worker, taskQueue } = await stack.newWorker();
  const workflowId = `cancel:ecom:${orderId}`;
  const ended = await worker.runUntil(async () => {
    const started = await cli(taskQueue, 'start', '--provider', 'ecom', '--order', orderId, '--reason', 'fraud');
    expect(started.code).toBe(0);
    const status = await waitFor(
      async () => {
        const run = await cli(taskQueue, 'status', workflowId);
        return run.stdout.includes('AWAITING_OPERATOR') ? run : undefined;
      },
      'the cancellation to wait for an operator',
      60_000,
    );
    expect(status.stdout).toContain(`npx cancel-orders confirm ${workflowId} --cancelled`);
    expect(status.stdout).toContain(`npx cancel-orders confirm ${workflowId} --not-cancelled`);
    const neither = await cli(taskQueue, 'confirm', workflowId);
    expect(oneErrorLine(neither)).toContain('exactly one of --cancelled, --not-cancelled');
    const confirmed = await cli(taskQueue, 'confirm', workflowId, '--cancelled', '--by', 'ops', '--json');
    expect(confirmed.code).toBe(0);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ workflowId, action: 'confirmCancelled', accepted: true });
    return stack.env.client.workflow.getHandle(workflowId).result();
  });
  expect(ended).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true });
  const again = await cli(taskQueue, 'confirm', workflowId, '--cancelled');
  expect(oneErrorLine(again)).toContain('already ended: CANCELLED');
});
