import { temporal } from '@temporalio/proto';
import { CancellationClient } from '../../src/client/cancellation-client';
import { providerTaskQueue } from '../../src/contract';
import { describeProviderQueue, queueRateForCap } from '../../src/provider-queues';
import { runCli, type CliRun } from '../helpers/cli';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

// Per-provider task queues: a cap set at worker start, pause and resume through the CLI (issue 13, items 1 and 2).
const stack = useTestStack();
const reason = { code: 'customer_request' as const };
const SCHEDULED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED;
const uniq = (name: string) => `${name}-${process.pid}-${Date.now()}`;

const cli = (taskQueue: string, ...args: string[]) => runCli(stack.env.address, taskQueue, args);
const ok = (run: CliRun) => {
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
};

/** The activities a workflow has scheduled and not finished: type, state, attempt. */
async function pending(workflowId: string) {
  const d = await stack.env.client.workflow.getHandle(workflowId).describe();
  return (d.raw.pendingActivities ?? []).map((a) => ({
    type: a.activityType?.name,
    state: a.state,
    attempt: a.attempt,
  }));
}

it('FUNGIES_MAX_CALLS_PER_SECOND set at worker start is the queue’s cap, seen by describe and `providers`', async () => {
  const { worker, taskQueue } = await stack.newWorker({ FUNGIES_MAX_CALLS_PER_SECOND: '50.5' });
  const service = stack.env.client.workflowService;
  const fungies = await describeProviderQueue(service, { namespace: 'default', taskQueue }, 'fungies');
  // The queue limit is about half the cap: the server lets one second of saved tokens out at once (queueRateForCap).
  const queueLimit = queueRateForCap(50.5, fungies.partitions);
  expect(fungies.partitions).toBeGreaterThanOrEqual(1);
  expect(fungies).toMatchObject({ queue: `${taskQueue}-fungies`, queueLimit });
  expect(queueLimit).toBeGreaterThanOrEqual(50.5 / 2 - fungies.partitions);
  expect(fungies.cap).toBeLessThanOrEqual(50.5);
  expect(fungies.cap).toBeGreaterThan(50.5 - 2 * fungies.partitions);
  expect(fungies.reason).toContain('FUNGIES_MAX_CALLS_PER_SECOND=50.5');
  const listed = await worker.runUntil(async () => {
    // The provider workers poll their queues while the worker runs.
    await waitFor(
      async () => (await describeProviderQueue(service, { namespace: 'default', taskQueue }, 'fincart')).pollers.length,
      'fincart pollers',
    );
    return JSON.parse(ok(await cli(taskQueue, 'providers', '--json')));
  });
  const byName = Object.fromEntries(listed.providers.map((p: { provider: string }) => [p.provider, p]));
  expect(byName.fungies).toMatchObject({
    queue: providerTaskQueue(taskQueue, 'fungies'),
    queueLimit,
    cap: fungies.cap,
  });
  expect(byName.fincart.cap).toBeUndefined(); // no variable: no cap
  expect(byName.fincart.pollers.length).toBeGreaterThan(0);
});

it('pause: cancellations wait on the provider queue (no call, no retry spent); resume: each cancelled with one call', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const { fungies, fincart } = stack.sandbox;
  const fng = uniq('pause-fng');
  const fin = uniq('pause-fin');
  fungies.seed([{ id: fng, status: 'PAID', paid: true }]);
  fincart.seed([{ id: fin, status: 'pending' }]);
  for (const p of ['fungies', 'fincart']) {
    expect(ok(await cli(taskQueue, 'providers', 'pause', p, '--reason', 'maintenance 02:00-04:00'))).toContain(
      `${p} paused`,
    );
  }
  const listed = ok(await cli(taskQueue, 'providers'));
  expect(listed).toMatch(/fungies .*PAUSED .* {2}maintenance 02:00-04:00/);

  await worker.runUntil(async () => {
    const a = await client.startCancellation({ provider: 'fungies', orderId: fng, reason });
    const b = await client.startCancellation({
      provider: 'fincart',
      orderId: fin,
      reason,
      snapshot: { status: 'pending' },
    });
    // Fungies' lookup and Fincart's pivot (its eligibility is the caller's snapshot) sit scheduled in their queues.
    const service = stack.env.client.workflowService;
    const where = { namespace: 'default', taskQueue };
    await waitFor(async () => (await describeProviderQueue(service, where, 'fincart')).backlog >= 1, 'fincart backlog');
    await waitFor(async () => (await describeProviderQueue(service, where, 'fungies')).backlog >= 1, 'fungies backlog');
    expect(await pending(a.workflowId)).toEqual([{ type: 'prepareCancellation', state: SCHEDULED, attempt: 1 }]);
    expect(await pending(b.workflowId)).toEqual([{ type: 'cancelAtProvider', state: SCHEDULED, attempt: 1 }]);
    const sb = await client.getStatus(b.workflowId);
    expect(sb.state).toBe('CANCELLING_AT_PROVIDER');
    expect(sb.timeline.at(-1)?.message).toContain(`waits on task queue ${taskQueue}-fincart`);
    expect((await client.getStatus(a.workflowId)).state).toBe('CHECKING_ELIGIBILITY');
    expect(fungies.requests.filter((r) => r.orderIds.includes(fng))).toEqual([]);
    expect(fincart.requests.filter((r) => r.orderIds.includes(fin))).toEqual([]);

    ok(await cli(taskQueue, 'providers', 'resume', 'fincart'));
    expect(ok(await cli(taskQueue, 'providers', 'resume', 'fungies', '--max-calls-per-second', '20'))).toMatch(
      /^fungies resumed: ≤ 20 calls\/s on .*queue limit [\d.]+\/s over \d partition/,
    );
    const [ra, rb] = await Promise.all([a.result(), b.result()]);
    expect(ra).toMatchObject({ outcome: 'CANCELLED', attempts: 1 });
    expect(rb).toMatchObject({ outcome: 'CANCELLED', attempts: 1 });
  });
  expect(fungies.requestsFor('cancel', fng)).toHaveLength(1);
  expect(fincart.requestsFor('cancel', fin)).toHaveLength(1);
});

it('bad input: one line naming the field, non-zero exit, nothing changed', async () => {
  const taskQueue = uniq('bad-input');
  const cases: [string[], RegExp, Record<string, string>?][] = [
    [['providers', 'pause', 'acme', '--reason', 'x'], /^error: invalid provider: must be one of evitalrx, /],
    [['providers', 'pause', 'fungies'], /^error: required option '--reason <text>' not specified$/],
    [['providers', 'pause', 'fungies', '--reason', ' '], /^error: invalid reason: must not be empty$/],
    [['providers', 'resume', 'fungies', '--max-calls-per-second', '-2'], /^error: invalid --max-calls-per-second: /],
    [
      ['providers', 'resume', 'fungies'],
      /^error: invalid configuration: FUNGIES_MAX_CALLS_PER_SECOND must be > 0/,
      {
        FUNGIES_MAX_CALLS_PER_SECOND: '-1',
      },
    ],
  ];
  for (const [args, message, env] of cases) {
    const run = await runCli(stack.env.address, taskQueue, args, env);
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
  }
  const fungies = await describeProviderQueue(
    stack.env.client.workflowService,
    { namespace: 'default', taskQueue },
    'fungies',
  );
  expect(fungies.cap).toBeUndefined();
  // The worker refuses a negative cap before it starts anything, naming the variable.
  await expect(stack.newWorker({ FUNGIES_MAX_CALLS_PER_SECOND: '-5' })).rejects.toThrow(
    /^invalid configuration: FUNGIES_MAX_CALLS_PER_SECOND must be > 0/,
  );
});
