import { ServiceError } from '@temporalio/client';
import { CliError } from '../../src/client/cli/context';
import { giveUpMs, outageLine, rideOut, type OutageEvent } from '../../src/client/cli/outage';
import { isUnreachable } from '../../src/client/unreachable';

/** gRPC status codes (@grpc/grpc-js `status`). */
const grpcStatus = { DEADLINE_EXCEEDED: 4, NOT_FOUND: 5, PERMISSION_DENIED: 7, INTERNAL: 13, UNAVAILABLE: 14 };

/** A gRPC error as the SDK surfaces it after its own retries (ServiceError with the gRPC error as cause). */
function grpcError(code: number, details: string): ServiceError {
  const cause = Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} });
  return new ServiceError('Unexpected error while making gRPC request', { cause });
}
const unavailable = () => grpcError(grpcStatus.UNAVAILABLE, 'No connection established');

/** A clock the fake sleep moves forward. */
function clock() {
  let t = Date.parse('2026-12-07T12:00:00Z');
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => void (slept.push(ms), (t += ms)),
    slept,
    advance: (ms: number) => (t += ms),
  };
}

test('an unreachable server: re-attached with backoff, said once per attempt, and once when it answers again', async () => {
  const c = clock();
  const events: OutageEvent[] = [];
  let calls = 0;
  const value = await rideOut(
    async () => {
      calls += 1;
      if (calls <= 4) throw unavailable();
      return 'DONE';
    },
    {
      address: 'localhost:7233',
      giveUpMs: 600_000,
      workflowId: 'bulk-cancel:fincart:b1',
      onEvent: (e) => events.push(e),
      ...c,
    },
  );
  expect(value).toBe('DONE');
  expect(c.slept).toEqual([1_000, 2_000, 4_000, 8_000]);
  expect(events.map((e) => e.event)).toEqual(['unreachable', 'unreachable', 'unreachable', 'unreachable', 'reachable']);
  expect(events[0]).toMatchObject({
    retryInMs: 1_000,
    giveUpAt: '2026-12-07T12:10:00.000Z',
    error: '14 No connection established',
  });
  expect(events[4]).toEqual({ event: 'reachable', address: 'localhost:7233', downForMs: 15_000 });
});

test('gives up after the give-up time of continuous outage: one line naming the workflow to follow', async () => {
  const c = clock();
  const err = await rideOut(async () => Promise.reject(unavailable()), {
    address: 'temporal:7233',
    giveUpMs: 30_000,
    workflowId: 'cancel:fungies:1',
    onEvent: () => undefined,
    ...c,
  }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CliError);
  expect((err as CliError).exitCode).toBe(1);
  expect((err as CliError).message).toBe(
    'gave up after 30 s: Temporal at temporal:7233 is unreachable (--give-up-after 30 s); cancel:fungies:1 goes on in Temporal: follow it later with npx cancel-orders status cancel:fungies:1',
  );
  expect(c.slept.reduce((a, b) => a + b, 0)).toBe(30_000); // the last pause is cut to the give-up time
});

test('other errors (not found, a refusal, the workflow failing) are not waited out', async () => {
  const notFound = grpcError(grpcStatus.NOT_FOUND, 'workflow not found');
  let calls = 0;
  const run = rideOut(
    async () => {
      calls += 1;
      throw notFound;
    },
    { address: 'a:1', giveUpMs: 60_000, workflowId: 'w', onEvent: () => undefined, ...clock() },
  );
  await expect(run).rejects.toBe(notFound);
  expect(calls).toBe(1);
  expect(isUnreachable(grpcError(grpcStatus.DEADLINE_EXCEEDED, 'deadline'))).toBe(true);
  expect(isUnreachable(grpcError(grpcStatus.INTERNAL, 'Received RST_STREAM with code 2'))).toBe(true);
  expect(isUnreachable(grpcError(grpcStatus.INTERNAL, 'bad protobuf'))).toBe(false);
  expect(isUnreachable(grpcError(grpcStatus.PERMISSION_DENIED, 'no'))).toBe(false);
  expect(isUnreachable(new Error('workflow failed'))).toBe(false);
});

test('--give-up-after takes a duration; anything else is a usage error naming the option and its variable', () => {
  expect(giveUpMs(undefined)).toBe(600_000);
  expect(giveUpMs('90s')).toBe(90_000);
  expect(giveUpMs('2h')).toBe(7_200_000);
  for (const bad of ['10', 'soon', '0s', '-1m']) {
    expect(() => giveUpMs(bad)).toThrow(
      new CliError(
        `--give-up-after (CANCEL_ORDERS_GIVE_UP_AFTER): must look like 500ms, 30s, 10m, 72h or 3d, got ${JSON.stringify(bad)}`,
      ),
    );
  }
});

test('notes: plain lines for people, one JSON object per line under --json', () => {
  const e: OutageEvent = {
    event: 'unreachable',
    address: 'localhost:7233',
    since: '2026-12-07T12:00:00.000Z',
    retryInMs: 2_000,
    giveUpAt: '2026-12-07T12:10:00.000Z',
    error: '14 UNAVAILABLE: No connection established',
  };
  expect(outageLine(e, false)).toBe(
    'Temporal at localhost:7233 is unreachable (14 UNAVAILABLE: No connection established); retrying in 2 s, giving up at 2026-12-07T12:10:00.000Z',
  );
  expect(JSON.parse(outageLine(e, true))).toEqual(e);
});
