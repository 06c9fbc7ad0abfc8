import { Client, Connection } from '@temporalio/client';
import { Poller } from '../../src/client/cli/poller';

/** A call the test settles by hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

test('stop() waits for the call in flight, and no call starts after it (the connection may close then)', async () => {
  const calls: ReturnType<typeof deferred>[] = [];
  const poller = new Poller(() => {
    const d = deferred();
    calls.push(d);
    return d.promise;
  }, 1).start();
  await waitUntil(() => calls.length === 1);
  let stopped = false;
  const stopping = poller.stop().then(() => (stopped = true));
  await new Promise((r) => setTimeout(r, 20));
  expect(stopped).toBe(false); // the first call has not settled: closing now would cut it
  calls[0].reject(new Error('UNAVAILABLE'));
  await stopping;
  await new Promise((r) => setTimeout(r, 20));
  expect(calls).toHaveLength(1);
});

test('one call at a time: a slow call is not overlapped, failures do not stop the polling', async () => {
  let running = 0;
  let most = 0;
  let count = 0;
  const poller = new Poller(async () => {
    running += 1;
    most = Math.max(most, running);
    count += 1;
    await new Promise((r) => setTimeout(r, 15));
    running -= 1;
    if (count % 2) throw new Error('query failed');
  }, 1).start();
  await waitUntil(() => count >= 4);
  await poller.stop();
  expect(most).toBe(1);
  expect(running).toBe(0);
});

async function waitUntil(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 2));
}

test('a progress poll the SDK is still retrying when the command ends: closing after stop() cannot crash', async () => {
  // Nothing listens on port 1: each call fails UNAVAILABLE and the SDK's retry interceptor schedules the next attempt.
  // Closed under such a call, the connection made that timer throw "Channel has been shut down" (uncaught, exit 1).
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const client = new Client({ connection });
  const calls: Promise<unknown>[] = [];
  const poller = new Poller(() => {
    const call = connection.withDeadline(Date.now() + 1_500, () => client.workflow.getHandle('bulk').query('progress'));
    calls.push(call.catch(() => undefined));
    return call;
  }, 1).start();
  await waitUntil(() => calls.length > 0);
  // The SDK's backoff state has no signal to wait on: its first attempt fails at once, its retry waits ~170 ms.
  await new Promise((r) => setTimeout(r, 300));
  await poller.stop();
  await connection.close();
  // Every call settled before the close (without stop() waiting, the last one crashes the process in its retry timer).
  await Promise.all(calls);
  expect(calls.length).toBeGreaterThan(0);
});
