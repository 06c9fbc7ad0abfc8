import { temporal } from '@temporalio/proto';
import type { Worker } from '@temporalio/worker';
import { BulkClient } from '../../src/client/bulk-client';
import { CancellationClient } from '../../src/client/cancellation-client';
import { useTestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';

const stack = useTestStack();
const reason = { code: 'customer_request' } as const;
const EventType = temporal.api.enums.v1.EventType;

/** A versioned worker (through the worker's env variables) whose identity tells its build in histories. */
async function versionedWorker(deploymentName: string, buildId: string, taskQueue: string) {
  const env = { WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_BUILD_ID: buildId };
  const { worker } = await stack.newWorker(env, taskQueue, { identity: `worker-${buildId}` });
  return { worker, running: worker.run() };
}

/** Make a build current, as `temporal worker deployment set-current-version` does (once its pollers have arrived). */
function setCurrent(deploymentName: string, buildId: string) {
  return waitFor(
    () =>
      stack.env.client.workflowService.setWorkerDeploymentCurrentVersion({
        namespace: 'default',
        deploymentName,
        buildId,
        identity: 'versioning-test',
      }),
    `${deploymentName} build ${buildId} to become current`,
  );
}

/** The version and behavior the server recorded for a workflow, and the worker identities that ran its activities. */
async function ranOn(workflowId: string) {
  const handle = stack.env.client.workflow.getHandle(workflowId);
  const { raw } = await handle.describe();
  const info = raw.workflowExecutionInfo?.versioningInfo;
  const events = (await handle.fetchHistory()).events ?? [];
  const activityWorkers = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
    .map((e) => e.activityTaskStartedEventAttributes?.identity);
  const taskWorkers = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    .map((e) => e.workflowTaskCompletedEventAttributes?.identity);
  return {
    buildId: info?.deploymentVersion?.buildId,
    behavior: info?.behavior,
    workers: [...new Set([...taskWorkers, ...activityWorkers])],
  };
}

it('a pinned cancellation waiting for an operator across a deploy finishes on its old build; new ones run on the new', async () => {
  const deployment = `occ-${process.pid}-${Date.now()}`;
  const taskQueue = `versioning-${process.pid}-${Date.now()}`;
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  stack.sandbox.fungies.seed([
    { id: 'fng-old', status: 'PENDING' },
    { id: 'fng-new', status: 'PENDING' },
    { id: 'fng-bulk', status: 'PENDING' },
  ]);
  stack.sandbox.fungies.injectFault({ route: 'cancel', orderId: 'fng-old', status: 503, times: 3 });
  const workers: { worker: Worker; running: Promise<void> }[] = [];
  try {
    workers.push(await versionedWorker(deployment, 'A', taskQueue));
    await setCurrent(deployment, 'A');
    const old = await client.startCancellation({ provider: 'fungies', orderId: 'fng-old', reason });
    await waitFor(
      async () => (await client.getStatus(old.workflowId)).state === 'AWAITING_OPERATOR',
      'the cancellation on build A to await an operator',
    );

    // The deploy: build B starts polling and becomes current; A keeps running for its pinned workflows.
    workers.push(await versionedWorker(deployment, 'B', taskQueue));
    await setCurrent(deployment, 'B');
    // What the README's drain check lists: the open workflows still pinned to build A.
    const pinnedToA = `TemporalWorkerDeploymentVersion = '${deployment}:A' AND ExecutionStatus = 'Running'`;
    await waitFor(async () => {
      const ids: string[] = [];
      for await (const w of stack.env.client.workflow.list({ query: pinnedToA })) ids.push(w.workflowId);
      return ids.length === 1 && ids[0] === old.workflowId;
    }, 'the visibility store to list the workflow pinned to A');
    const fresh = await client.startCancellation({ provider: 'fungies', orderId: 'fng-new', reason });
    expect((await fresh.result()).outcome).toBe('CANCELLED');
    const bulk = await new BulkClient({ client: stack.env.client, taskQueue }).startBulkCancellation({
      provider: 'fungies',
      bulkId: `${deployment}-bulk`,
      orderIds: ['fng-bulk'],
      reason,
    });
    expect((await bulk.handle.result()).byOutcome).toEqual({ CANCELLED: 1 });

    expect(await client.retry(old.workflowId, 'ops@example.com')).toBeTruthy();
    const result = await old.result();
    expect(result).toMatchObject({ outcome: 'CANCELLED', attempts: 4 });
    expect(stack.sandbox.fungies.requestsFor('cancel', 'fng-old').map((r) => r.responseStatus)).toEqual([
      503, 503, 503, 200,
    ]);

    const PINNED = temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_PINNED;
    // Every workflow task and activity of the waiting one ran on build A, the retry after the deploy included.
    expect(await ranOn(old.workflowId)).toEqual({ buildId: 'A', behavior: PINNED, workers: ['worker-A'] });
    expect(await ranOn(fresh.workflowId)).toEqual({ buildId: 'B', behavior: PINNED, workers: ['worker-B'] });
    // The bulk declares AUTO_UPGRADE (the worker's default is PINNED): each continued run may move to a newer build.
    expect(await ranOn(bulk.workflowId)).toMatchObject({
      buildId: 'B',
      behavior: temporal.api.enums.v1.VersioningBehavior.VERSIONING_BEHAVIOR_AUTO_UPGRADE,
    });
    // Build A is no longer current: the server reports it draining (DRAINED once its pinned workflows are closed
    // and the visibility grace period has passed, minutes later, so not awaited here).
    const a = await stack.env.client.workflowService.describeWorkerDeploymentVersion({
      namespace: 'default',
      deploymentVersion: { deploymentName: deployment, buildId: 'A' },
    });
    expect(a.workerDeploymentVersionInfo?.status).toBe(
      temporal.api.enums.v1.WorkerDeploymentVersionStatus.WORKER_DEPLOYMENT_VERSION_STATUS_DRAINING,
    );
  } finally {
    for (const w of workers) w.worker.shutdown();
    await Promise.allSettled(workers.map((w) => w.running));
  }
});

it('unset, the worker is unversioned as before: workflows declare no behavior (the server would refuse one)', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  stack.sandbox.fungies.seed([{ id: 'fng-unversioned', status: 'PENDING' }]);
  const handle = await worker.runUntil(async () => {
    const h = await client.startCancellation({ provider: 'fungies', orderId: 'fng-unversioned', reason });
    expect((await h.result()).outcome).toBe('CANCELLED');
    return h;
  });
  const { raw } = await handle.describe();
  expect(raw.workflowExecutionInfo?.versioningInfo?.behavior ?? 0).toBe(0);
});
