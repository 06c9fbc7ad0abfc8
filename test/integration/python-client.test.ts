import { startTestStack, type TestStack } from '../helpers/stack';
import { requirePythonClient, runPython, type PythonStep } from '../helpers/python-client';

let stack: TestStack;
beforeAll(async () => {
  requirePythonClient(); // before the dev server: a missing venv is one clear line
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.teardown();
});

const valueOf = (steps: PythonStep[], step: string) => {
  const found = steps.find((s) => s.step === step);
  if (!found) throw new Error(`the Python client never reported "${step}": ${JSON.stringify(steps)}`);
  return found.value;
};

test('a Python service (temporalio from PyPI) starts cancelOrder by name, queries status, sends retry, reads CANCELLED', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  stack.sandbox.fastpod.seed([{ id: 'py-order-1', status: 'new_order' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'py-order-1', status: 503, times: 3 });

  const steps = await worker.runUntil(
    runPython('contract_client.py', [stack.env.address, 'default', taskQueue, 'fastpod', 'py-order-1']),
  );

  expect(valueOf(steps, 'started')).toEqual({ workflowId: 'cancel:fastpod:py-order-1' });
  expect(valueOf(steps, 'awaiting')).toMatchObject({
    state: 'AWAITING_OPERATOR',
    awaiting: { step: 'cancel', error: { type: 'ProviderTransientError' }, abortAllowed: true },
  });
  expect(valueOf(steps, 'result')).toMatchObject({
    outcome: 'CANCELLED',
    provider: 'fastpod',
    orderId: 'py-order-1',
    attempts: 4,
    providerCancelled: true,
  });
  // What the provider saw: three refused cancels, then the one after the Python operator's retry.
  expect(stack.sandbox.fastpod.requestsFor('cancel', 'py-order-1').map((r) => r.responseStatus)).toEqual([
    503, 503, 503, 200,
  ]);
  // The same workflow as a TypeScript caller sees it: started by name, with the reason the Python client gave.
  const desc = await stack.env.client.workflow.getHandle('cancel:fastpod:py-order-1').describe();
  expect(desc.type).toBe('cancelOrder');
  expect(await desc.staticSummary()).toBe('Cancel fastpod order py-order-1 — customer_request');
  // The interactive priority schema/contract.json names, as the TypeScript client sets it.
  expect(desc.priority).toMatchObject({ priorityKey: 2 });
});
