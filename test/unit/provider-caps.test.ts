import type { Logger, NativeConnection } from '@temporalio/worker';
import { applyProviderCaps } from '../../src/worker/provider-workers';

// Around the server only: what the worker does with each answer of the task-queue config API (the API itself is
// exercised against the dev server in test/integration/provider-queues.test.ts).
function fakeServer(describe: object, update: () => Promise<object>) {
  const calls: unknown[] = [];
  const service = {
    describeTaskQueue: async () => describe,
    listTaskQueuePartitions: async () => ({ activityTaskQueuePartitions: [{}, {}, {}, {}] }),
    updateTaskQueueConfig: async (req: unknown) => {
      calls.push(req);
      return update();
    },
  };
  const lines: string[] = [];
  const log = (m: string) => lines.push(m);
  const logger = { info: log, warn: log, error: log, debug: log, trace: log, log } as unknown as Logger;
  return { connection: { workflowService: service } as unknown as NativeConnection, calls, lines, logger };
}
const where = { namespace: 'default', taskQueue: 'tq' };

it('sets each cap server-side with its reason, and logs it', async () => {
  const s = fakeServer({}, async () => ({}));
  expect(await applyProviderCaps(s.connection, where, { fungies: 50 }, s.logger)).toEqual({});
  expect(s.calls).toEqual([
    expect.objectContaining({
      taskQueue: 'tq-fungies',
      updateQueueRateLimit: {
        rateLimit: { requestsPerSecond: 23 }, // 4 partitions: 4 · (floor(50 / 4) - ½) / 2
        reason: 'FUNGIES_MAX_CALLS_PER_SECOND=50 at worker start',
      },
    }),
  ]);
  expect(s.lines).toEqual([
    expect.stringMatching(/^rate cap: at most 50 calls in any second to fungies .*queue limit 23\/s on tq-fungies/),
  ]);
});

it('leaves a paused provider paused', async () => {
  const paused = { config: { queueRateLimit: { rateLimit: { requestsPerSecond: 0 }, metadata: { reason: 'maint' } } } };
  const s = fakeServer(paused, async () => ({}));
  expect(await applyProviderCaps(s.connection, where, { fungies: 50 }, s.logger)).toEqual({});
  expect(s.calls).toEqual([]);
  expect(s.lines).toEqual([
    expect.stringMatching(/^fungies is paused \(maint\): FUNGIES_MAX_CALLS_PER_SECOND=50 not applied/),
  ]);
});

it('without the API (UNIMPLEMENTED): one warning, every cap handed back for the worker-side fallback', async () => {
  const s = fakeServer({}, () => Promise.reject(Object.assign(new Error('unknown method'), { code: 12 })));
  const caps = { fungies: 50, fastpod: 5 };
  expect(await applyProviderCaps(s.connection, where, caps, s.logger)).toEqual(caps);
  expect(s.lines).toEqual([expect.stringContaining('no task-queue config API')]);
});

it('another error stops the start', async () => {
  const s = fakeServer({}, () => Promise.reject(Object.assign(new Error('permission denied'), { code: 7 })));
  await expect(applyProviderCaps(s.connection, where, { fungies: 50 }, s.logger)).rejects.toThrow('permission denied');
});
