import { CancellationClient } from '../../src/client/cancellation-client';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();

test('a provider that hangs never holds the only activity slot past the call timeout', async () => {
  // One activity slot: the second order can only be cancelled if the hung call gives its slot back.
  const { worker, taskQueue } = await stack.newWorker({ PROVIDER_TIMEOUT_MS: '1000' }, undefined, {
    maxConcurrentActivityTaskExecutions: 1,
  });
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const hung = `hang-${Date.now()}`;
  const fine = `fine-${Date.now()}`;
  stack.sandbox.fungies.seed([
    { id: hung, status: 'PENDING' },
    { id: fine, status: 'PENDING' },
  ]);
  stack.sandbox.fungies.injectFault({ orderId: hung, hang: true, times: Infinity });
  await worker.runUntil(async () => {
    const stuck = await client.startCancellation({ provider: 'fungies', orderId: hung, reason: { code: 'other' } });
    await waitFor(() => stack.sandbox.fungies.requestsFor('lookup', hung).length > 0, 'the hung lookup to arrive');
    const other = await client.startCancellation({ provider: 'fungies', orderId: fine, reason: { code: 'other' } });
    expect(await other.result()).toMatchObject({ outcome: 'CANCELLED', orderId: fine });
    const status = await waitFor(async () => {
      const s = await client.getStatus(stuck.workflowId);
      const errors = [...s.steps.map((step) => step.lastError), s.awaiting?.error];
      return errors.some((e) => e?.message.includes('no answer within 1000 ms')) ? s : undefined;
    }, 'the hung call to be cut at the call timeout');
    expect(status.orderId).toBe(hung);
    if (!status.outcome) await stuck.terminate('test over');
  });
});
