import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { createActivities, HOOK_BATCH_CONCURRENCY, type HookCallResult } from '../../src/activities';
import {
  MerchantRefusedError,
  MerchantTransientError,
  type HookCall,
  type HookResult,
  type MerchantHooks,
} from '../../src/merchant/port';

const WF = 'bulk-cancel:fincart:b1:batch:1';

function call(orderId: string, step: HookCall['step'] = 'hold'): HookCall {
  return {
    step,
    type: 'cancellation.hold_requested',
    key: `${WF}/${orderId}/${step}`,
    workflowId: WF,
    provider: 'fincart',
    orderId,
    occurredAt: '2026-11-23T10:00:00.000Z',
    data: {},
  };
}

/** A fake merchant: each order id answers as scripted (default done); records every call it gets. */
function fakeHooks(script: Record<string, () => HookResult>) {
  const sent: string[] = [];
  const hooks: MerchantHooks = async (c) => {
    sent.push(c.key);
    await new Promise((r) => setImmediate(r));
    return (script[c.orderId] ?? (() => 'done'))();
  };
  return { hooks, sent };
}

function run(hooks: MerchantHooks, calls: HookCall[], info: ConstructorParameters<typeof MockActivityEnvironment>[0]) {
  // A failed attempt is the point of several tests: keep its warning out of the output.
  const env = new MockActivityEnvironment(info, { logger: new DefaultLogger('ERROR') });
  const heartbeats: unknown[] = [];
  env.on('heartbeat', (d: unknown) => heartbeats.push(d));
  const acts = createActivities({ providers: {}, hooks });
  const promise: ReturnType<typeof acts.merchantHookBatch> = env.run(acts.merchantHookBatch, calls);
  return { promise, heartbeats };
}

const refused = () => {
  throw new MerchantRefusedError('merchant refused cancellation.hold_requested (HTTP 409): locked', 409);
};
const transient = () => {
  throw new MerchantTransientError('merchant webhook answered HTTP 503 for cancellation.hold_requested');
};

it('every call sent once, results in call order, at most 16 at a time, no heartbeat when all settle', async () => {
  let inFlight = 0;
  let peak = 0;
  const sent: string[] = [];
  const hooks: MerchantHooks = async (c) => {
    sent.push(c.key);
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setTimeout(r, 2));
    inFlight -= 1;
    return c.orderId === 'o-7' ? 'skipped' : 'done';
  };
  const calls = Array.from({ length: 50 }, (_, i) => call(`o-${i}`));
  const { promise, heartbeats } = run(hooks, calls, { attempt: 1 });
  const out = await promise;
  expect(out.attempt).toBe(1);
  expect(out.results.map((r) => r.key)).toEqual(calls.map((c) => c.key));
  expect(out.results[7]).toEqual({ key: calls[7].key, result: 'skipped' });
  expect(out.results.filter((r) => r.result === 'done')).toHaveLength(49);
  expect([...sent].sort()).toEqual(calls.map((c) => c.key).sort());
  expect(peak).toBe(HOOK_BATCH_CONCURRENCY);
  expect(heartbeats).toEqual([]);
});

it('a refusal (4xx) is that call’s final result, not a failure of the batch', async () => {
  const { hooks } = fakeHooks({ b: refused });
  const out = await run(hooks, [call('a'), call('b')], { attempt: 1 }).promise;
  expect(out.results).toEqual([
    { key: `${WF}/a/hold`, result: 'done' },
    {
      key: `${WF}/b/hold`,
      result: 'refused',
      message: 'merchant refused cancellation.hold_requested (HTTP 409): locked',
      status: 409,
    },
  ]);
});

it('a transient failure: settled calls go to the heartbeat, the attempt fails retryably with the pending count', async () => {
  const { hooks } = fakeHooks({ b: refused, c: transient, d: transient });
  const { promise, heartbeats } = run(hooks, [call('a'), call('b'), call('c'), call('d')], { attempt: 2 });
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  const failure = err as ApplicationFailure;
  expect(failure.type).toBe('MerchantTransientError');
  expect(failure.nonRetryable).toBe(false);
  expect(failure.message).toMatch(/2 of 4 merchant call\(s\) failed: merchant webhook answered HTTP 503/);
  const done: HookCallResult[] = [
    { key: `${WF}/a/hold`, result: 'done' },
    { key: `${WF}/b/hold`, result: 'refused', message: expect.stringContaining('HTTP 409') as string, status: 409 },
  ];
  expect(failure.details).toEqual([{ attempt: 2, pending: 2, done }]);
  expect(heartbeats).toEqual([{ done }]);
});

it('an unexpected error counts as transient too (the batch is retried, nothing is lost)', async () => {
  const { hooks } = fakeHooks({
    a: () => {
      throw new Error('socket hang up');
    },
  });
  const err = (await run(hooks, [call('a'), call('b')], { attempt: 1 }).promise.catch((e: unknown) => e)) as
    ApplicationFailure | undefined;
  expect(err?.type).toBe('MerchantTransientError');
  expect(err?.details).toEqual([{ attempt: 1, pending: 1, done: [{ key: `${WF}/b/hold`, result: 'done' }] }]);
});

it('a retry reads the heartbeat and re-sends only what had not settled, returning the earlier results', async () => {
  const earlier: HookCallResult[] = [
    { key: `${WF}/a/hold`, result: 'done' },
    { key: `${WF}/b/hold`, result: 'refused', message: 'locked', status: 409 },
  ];
  const { hooks, sent } = fakeHooks({ a: transient, b: transient, d: () => 'skipped' });
  const { promise, heartbeats } = run(hooks, [call('a'), call('b'), call('c'), call('d')], {
    attempt: 3,
    heartbeatDetails: { done: earlier },
  });
  const out = await promise;
  expect(sent.sort()).toEqual([`${WF}/c/hold`, `${WF}/d/hold`]);
  expect(out).toEqual({
    attempt: 3,
    results: [...earlier, { key: `${WF}/c/hold`, result: 'done' }, { key: `${WF}/d/hold`, result: 'skipped' }],
  });
  expect(heartbeats).toEqual([]);
});

it('a retry that fails again heartbeats the earlier results plus the new ones', async () => {
  const earlier: HookCallResult[] = [{ key: `${WF}/a/hold`, result: 'done' }];
  const { hooks, sent } = fakeHooks({ c: transient });
  const { promise, heartbeats } = run(hooks, [call('a'), call('b'), call('c')], {
    attempt: 2,
    heartbeatDetails: { done: earlier },
  });
  await expect(promise).rejects.toMatchObject({ type: 'MerchantTransientError' });
  expect(sent.sort()).toEqual([`${WF}/b/hold`, `${WF}/c/hold`]);
  expect(heartbeats).toEqual([{ done: [...earlier, { key: `${WF}/b/hold`, result: 'done' }] }]);
});
