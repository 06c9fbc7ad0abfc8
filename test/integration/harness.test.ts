import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startDevServer, taskQueue } from '../helpers/temporal';
import { ping } from '../fixtures/ping-workflows';

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startDevServer();
});
afterAll(async () => {
  await env?.teardown();
});

it('a workflow runs end to end on the real dev server and its search attribute is visible', async () => {
  const tq = taskQueue('harness');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: tq,
    workflowsPath: require.resolve('../fixtures/ping-workflows'),
    activities: { echo: async (s: string) => s.toUpperCase() },
  });
  const workflowId = `ping-${tq}`;
  const result = await worker.runUntil(
    env.client.workflow.execute(ping, { taskQueue: tq, workflowId, args: ['temporal'] }),
  );
  expect(result).toBe('pong TEMPORAL');
  const desc = await env.client.workflow.getHandle(workflowId).describe();
  expect(desc.searchAttributes.CancelState).toEqual(['PINGED']);
});
