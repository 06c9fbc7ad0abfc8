import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { CancellationClient } from '../../src/client/cancellation-client';
import { encryptionKeys } from '../../src/config/encryption';
import { startCodecServer } from '../../src/codec/server';
import { encryptedClient, encryptedWorker, leaks, newKey, showHistory } from '../helpers/encryption';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();
beforeEach(() => stack.sandbox.reset());

const uniq = (name: string) => `${name}-${process.pid}-${Date.now()}`;
const NOTE = 'customer Jane Roe phoned: wrong size';

/** One fungies cancel with a note, through one failed attempt (a failure message naming the order in history). */
async function cancelWithNote(keys: string | undefined, orderId: string) {
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PENDING' }]);
  stack.sandbox.fungies.injectFault({ route: 'cancel', orderId, status: 503, times: 1 });
  const { worker, taskQueue } = keys ? await encryptedWorker(stack, keys) : await stack.newWorker();
  const client = new CancellationClient({ client: encryptedClient(stack, keys), taskQueue });
  const input = { provider: 'fungies', orderId, reason: { code: 'other', note: NOTE } };
  const result = await worker.runUntil(async () => (await client.startCancellation(input)).result());
  expect(result).toMatchObject({ outcome: 'CANCELLED', attempts: 2 });
  return showHistory(stack, `cancel:fungies:${orderId}`);
}

test('encrypted: no plaintext note or order id outside search attributes and workflow id; the codec server decodes it', async () => {
  const key = newKey('k1');
  const orderId = uniq('fng-Secret');
  const history = await cancelWithNote(key, orderId);
  // The workflow id is the contract's `cancel:{provider}:{orderId}`: like the search attributes, it stays readable.
  expect(leaks(history, orderId)).toEqual(['$.events[0].workflowExecutionStartedEventAttributes.workflowId']);
  expect(leaks(history, 'Jane Roe')).toEqual([]);
  // The order id is still in the (plaintext, indexed) search attribute.
  expect(JSON.stringify(history)).toContain(orderId);

  // The same reader sees both in a history written without encryption (the check above can fail).
  const plainId = uniq('fng-Plain');
  const plain = await cancelWithNote(undefined, plainId);
  expect(leaks(plain, plainId).length).toBeGreaterThan(0);
  expect(leaks(plain, 'Jane Roe').length).toBeGreaterThan(0);

  const started = history.events[0] as {
    workflowExecutionStartedEventAttributes: { input: { payloads: unknown[] } };
  };
  const server = await startCodecServer(
    { keys: encryptionKeys.parse(key)!, corsOrigins: ['http://localhost:8233'] },
    { port: 0 },
  );
  try {
    const res = await fetch(`${server.url}/decode`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default' },
      body: JSON.stringify({ payloads: started.workflowExecutionStartedEventAttributes.input.payloads }),
    });
    const { payloads } = (await res.json()) as { payloads: { data: string }[] };
    const input = JSON.parse(Buffer.from(payloads[0].data, 'base64').toString('utf8'));
    expect(input).toMatchObject({ provider: 'fungies', orderId, reason: { code: 'other', note: NOTE } });
  } finally {
    await server.close();
  }
});

test('rotation: started under key A, finished after B is added first; a reader without A is told which key', async () => {
  const A = newKey('key-a');
  const B = newKey('key-b');
  const orderId = uniq('fng-rot');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PENDING' }]);
  stack.sandbox.fungies.injectFault({ route: 'cancel', orderId, status: 503, times: 3 });
  const first = await encryptedWorker(stack, A);
  const clientA = new CancellationClient({ client: encryptedClient(stack, A), taskQueue: first.taskQueue });
  const workflowId = await first.worker.runUntil(async () => {
    const handle = await clientA.startCancellation({ provider: 'fungies', orderId, reason: { code: 'other' } });
    await waitFor(async () => (await clientA.getStatus(handle.workflowId)).state === 'AWAITING_OPERATOR', 'operator');
    return handle.workflowId;
  });

  const rotated = `${B},${A}`;
  const second = await encryptedWorker(stack, rotated, first.taskQueue);
  const clientBA = new CancellationClient({ client: encryptedClient(stack, rotated), taskQueue: first.taskQueue });
  const result = await second.worker.runUntil(async () => {
    await clientBA.retry(workflowId, 'ops');
    return encryptedClient(stack, rotated).workflow.getHandle(workflowId).result();
  });
  expect(result).toMatchObject({ outcome: 'CANCELLED', orderId });
  // What the worker wrote after the rotation (the result) is under B; the start input stays under A.
  const events = (await showHistory(stack, workflowId)).events;
  const keyIdOf = (p: { metadata: Record<string, string> }) =>
    Buffer.from(p.metadata['encryption-key-id'], 'base64').toString();
  const start = events[0] as { workflowExecutionStartedEventAttributes: { input: { payloads: never[] } } };
  const done = events.at(-1) as { workflowExecutionCompletedEventAttributes: { result: { payloads: never[] } } };
  expect(keyIdOf(start.workflowExecutionStartedEventAttributes.input.payloads[0])).toBe('key-a');
  expect(keyIdOf(done.workflowExecutionCompletedEventAttributes.result.payloads[0])).toBe('key-b');

  // After A is dropped too early, reading the old input names the missing key.
  const onlyB = encryptedClient(stack, B).workflow.getHandle(workflowId);
  await expect((await onlyB.describe()).staticSummary()).rejects.toThrow(
    'payload is encrypted with key id "key-a", which is not in PAYLOAD_ENCRYPTION_KEYS',
  );
});

test('the CLI reads PAYLOAD_ENCRYPTION_KEYS: status decodes with it, and names the key id without it', async () => {
  const key = newKey('cli-key');
  const orderId = uniq('fng-cli');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PENDING' }]);
  const { worker, taskQueue } = await encryptedWorker(stack, key);
  const client = new CancellationClient({ client: encryptedClient(stack, key), taskQueue });
  await worker.runUntil(async () =>
    (await client.startCancellation({ provider: 'fungies', orderId, reason: { code: 'other' } })).result(),
  );
  const run = (keys?: string) =>
    promisify(execFile)(
      process.execPath,
      [path.join(__dirname, '..', '..', 'bin', 'cancel-orders.js'), 'status', `cancel:fungies:${orderId}`, '--json'],
      {
        env: {
          PATH: process.env.PATH,
          TEMPORAL_ADDRESS: stack.env.address,
          TEMPORAL_TASK_QUEUE: taskQueue,
          ...(keys ? { PAYLOAD_ENCRYPTION_KEYS: keys } : {}),
        },
      },
    ).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
  const ok = await run(key);
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.stdout)).toMatchObject({ orderId, outcome: 'CANCELLED' });
  const without = await run();
  expect(without.code).toBe(1);
  expect(without.stderr).toContain('key id "cli-key" but PAYLOAD_ENCRYPTION_KEYS is not set');
});
