import { useTestStack } from '../helpers/stack';

const stack = useTestStack();
beforeEach(() => stack.sandbox.reset());

const reason = { code: 'customer_request' };

// The business outcomes and provider failures (not eligible, already cancelled, refused, bad credentials, 5xx, 429)
// are the conformance kit's scenarios, run for every provider: test/integration/conformance.test.ts.

it('a workflow input that fails validation fails the workflow with InvalidRequestError before any call', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const err = await worker.runUntil(
    stack.env.client.workflow
      .execute('cancelOrder', {
        taskQueue,
        workflowId: `cancel:fastpod:bad-${taskQueue}`,
        args: [{ provider: 'fastpod', orderId: '', reason }],
      })
      .catch((e: unknown) => e),
  );
  expect((err as { cause?: { type?: string; message?: string } }).cause).toMatchObject({
    type: 'InvalidRequestError',
    message: expect.stringContaining('orderId: must not be empty'),
  });
  expect(stack.sandbox.fastpod.requests).toHaveLength(0);
  expect(stack.sandbox.merchant.events).toHaveLength(0);
});
