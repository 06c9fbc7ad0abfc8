import { runCli, type CliRun } from '../helpers/cli';
import { encryptedWorker, newKey } from '../helpers/encryption';
import { useTestStack } from '../helpers/stack';
import { taskQueue as freshQueue } from '../helpers/temporal';

// `start` on an order whose cancellation runs, or already ended cancelled (issue 22): what the user and the merchant see.
const stack = useTestStack();

const cli = (taskQueue: string, ...args: string[]): Promise<CliRun> => runCli(stack.env.address, taskQueue, args);
const uniq = (name: string) => `${name}-${process.pid}-${Date.now()}`;
const startArgs = (provider: string, orderId: string, reason: string, ...more: string[]) => [
  'start',
  '--provider',
  provider,
  '--order',
  orderId,
  '--reason',
  reason,
  ...more,
];

it('a start on a running cancellation attaches, says so, and warns that its own reason is not applied', async () => {
  // No worker polls this queue: the first start's run stays RUNNING.
  const taskQueue = freshQueue('attach');
  const orderId = uniq('fp-attach');
  const workflowId = `cancel:fastpod:${orderId}`;
  const first = await cli(taskQueue, ...startArgs('fastpod', orderId, 'customer_request', '--json'));
  expect(first.code).toBe(0);
  expect(JSON.parse(first.stdout)).toMatchObject({ workflowId, started: true });

  const second = await cli(taskQueue, ...startArgs('fastpod', orderId, 'fraud', '--note', 'chargeback', '--json'));
  expect(second.code).toBe(0);
  const json = JSON.parse(second.stdout);
  expect(json).toMatchObject({
    workflowId,
    runId: JSON.parse(first.stdout).runId,
    started: false,
    attachedTo: { reason: { code: 'customer_request' } },
  });
  expect(json.attachedTo.differences).toEqual([
    'reason.code: "fraud" (asked) vs "customer_request" (running)',
    'reason.note: "chargeback" (asked) vs none (running)',
  ]);
  expect(second.stderr.trim().split('\n')).toEqual([
    expect.stringMatching(/^warning: .*running cancellation, whose options apply .*reason\.code: "fraud" \(asked\)/),
  ]);

  const human = await cli(taskQueue, ...startArgs('fastpod', orderId, 'customer_request'));
  expect(human.code).toBe(0);
  expect(human.stderr).toBe('');
  expect(human.stdout.split('\n')[0]).toMatch(
    new RegExp(
      `^attached to the running cancellation ${workflowId} \\(started \\d{4}-\\d\\d-\\d\\dT[\\d:]+Z with reason customer_request, by cli:`,
    ),
  );
  await stack.env.client.workflow.getHandle(workflowId).terminate('test done');
});

it('a start after a run that cancelled the order starts nothing and the merchant hears of it once', async () => {
  const orderId = uniq('fng-again');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PAID' }]);
  const { worker, taskQueue } = await stack.newWorker();
  const workflowId = `cancel:fungies:${orderId}`;
  const { first, again, waited } = await worker.runUntil(async () => ({
    first: await cli(taskQueue, ...startArgs('fungies', orderId, 'customer_request', '--wait', '--json')),
    again: await cli(taskQueue, ...startArgs('fungies', orderId, 'customer_request', '--json')),
    waited: await cli(taskQueue, ...startArgs('fungies', orderId, 'customer_request', '--wait')),
  }));
  expect(JSON.parse(first.stdout)).toMatchObject({ outcome: 'CANCELLED', started: true });
  expect(again.code).toBe(0);
  const json = JSON.parse(again.stdout);
  expect(json).toMatchObject({ workflowId, started: false, alreadyCancelled: { outcome: 'CANCELLED' } });
  expect(json.runId).toBe(json.alreadyCancelled.runId);
  // --wait shows the earlier run's outcome (exit 0: the order is cancelled).
  expect(waited.code).toBe(0);
  expect(waited.stdout).toMatch(
    new RegExp(`^${workflowId}: already cancelled by an earlier run \\(run [0-9a-f-]+, ended CANCELLED at `),
  );
  expect(waited.stdout).toContain(`${workflowId}: CANCELLED`);
  const completed = stack.sandbox.merchant.typesFor(orderId).filter((t) => t === 'cancellation.completed');
  expect(completed).toHaveLength(1);
  expect(stack.sandbox.fungies.requestsFor('cancel', orderId)).toHaveLength(1);
});

it('start --wait that cannot read the result still says the cancellation was started', async () => {
  const orderId = uniq('fng-nokey');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PENDING' }]);
  const { worker, taskQueue } = await encryptedWorker(stack, newKey('wait-key'));
  const run = await worker.runUntil(cli(taskQueue, ...startArgs('fungies', orderId, 'other', '--wait')));
  const workflowId = `cancel:fungies:${orderId}`;
  expect(run.code).toBe(1);
  expect(run.stdout.split('\n')[0]).toBe(`started ${workflowId}`);
  expect(run.stderr.trim()).toMatch(
    new RegExp(`^error: started ${workflowId} but could not read its result: .*key id "wait-key".*not set`),
  );
});
