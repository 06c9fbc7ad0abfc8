import {
  MerchantRefusedError,
  ProviderAuthError,
  ProviderRejectedError,
  ProviderResponseError,
  ProviderTransientError,
} from '../../src/contract';
import { callResult, instrumentAdapter, instrumentBatchHooks, instrumentHooks } from '../../src/worker/instrument';
import type { MetricMeter } from '@temporalio/common';

/** A meter that keeps what was recorded (the code around the SDK meter is what is under test here). */
function recordingMeter() {
  const records: { name: string; value: number; tags: Record<string, unknown> }[] = [];
  const metric = (name: string) => ({
    add: (value: number, tags = {}) => records.push({ name, value, tags }),
    record: (value: number, tags = {}) => records.push({ name, value, tags }),
  });
  const meter = { createCounter: metric, createHistogram: metric } as unknown as MetricMeter;
  return { meter, records };
}

test.each([
  [new ProviderRejectedError('x', { provider: 'fungies' }), 'rejected'],
  [new ProviderTransientError('x', { provider: 'fungies' }), 'transient'],
  [new ProviderAuthError('x', { provider: 'fungies' }), 'auth'],
  [new ProviderResponseError('x', { provider: 'fungies' }), 'response'],
  [Object.assign(new Error('aborted'), { name: 'AbortError' }), 'cancelled'],
  [new TypeError('bug'), 'error'],
])('a provider call failing with %p is recorded as result=%s', (err, result) => {
  expect(callResult(err)).toBe(result);
});

test('an adapter call is timed by provider, operation and result, and its answer or error passes through', async () => {
  const { meter, records } = recordingMeter();
  const adapter = instrumentAdapter(
    {
      id: 'fungies',
      lookup: async (orderId) => ({ orderId, status: 'PAID' }),
      cancel: async () => {
        throw new ProviderAuthError('refused', { provider: 'fungies' });
      },
    },
    meter,
  );
  await expect(adapter.lookup!('o-1')).resolves.toEqual({ orderId: 'o-1', status: 'PAID' });
  await expect(adapter.cancel('o-1', { code: 'staff' })).rejects.toBeInstanceOf(ProviderAuthError);
  expect(records.map((r) => [r.name, r.tags])).toEqual([
    ['provider_call_latency', { provider: 'fungies', operation: 'lookup', result: 'ok' }],
    ['provider_call_latency', { provider: 'fungies', operation: 'cancel', result: 'auth' }],
  ]);
  expect(adapter.cancelMany).toBeUndefined();
});

test('webhook deliveries: delivered, refused and failed are counted by type; skipped steps are not', async () => {
  const { meter, records } = recordingMeter();
  const answers = [
    async () => 'done' as const,
    async () => 'skipped' as const,
    async () => {
      throw new MerchantRefusedError('no', 409);
    },
    async () => {
      throw new Error('timeout');
    },
  ];
  for (const answer of answers) {
    const hooks = instrumentHooks(answer, meter);
    await hooks({ type: 'cancellation.hold_requested' } as never).catch(() => undefined);
  }
  expect(records.map((r) => r.tags)).toEqual([
    { type: 'cancellation.hold_requested', result: 'delivered' },
    { type: 'cancellation.hold_requested', result: 'refused' },
    { type: 'cancellation.hold_requested', result: 'failed' },
  ]);
});

test('a batched delivery is counted per event, by its type and result; skipped events are not counted', async () => {
  const { meter, records } = recordingMeter();
  const calls = ['a', 'b', 'c', 'd'].map((k, i) => ({
    key: k,
    type: i < 2 ? 'cancellation.hold_requested' : 'cancellation.completed',
  }));
  const hooks = instrumentBatchHooks(
    async () => [
      { key: 'a', result: 'done' },
      { key: 'b', result: 'refused', message: 'no' },
      { key: 'c', result: 'retry', message: 'later' },
      { key: 'd', result: 'skipped' },
    ],
    meter,
  );
  await expect(hooks(calls as never)).resolves.toHaveLength(4);
  expect(records.map((r) => r.tags)).toEqual([
    { type: 'cancellation.hold_requested', result: 'delivered' },
    { type: 'cancellation.hold_requested', result: 'refused' },
    { type: 'cancellation.completed', result: 'failed' },
  ]);
});
