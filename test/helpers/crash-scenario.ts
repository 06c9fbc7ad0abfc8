import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { BulkClient } from '../../src/client/bulk-client';
import { batchWorkflowId, type BatchOrderResult, type BulkProgress, type BulkResult } from '../../src/contract';
import { progressQuery } from '../../src/contract/bulk-messages';
import type { FincartSim } from '../../src/providers/fincart/simulator';
import { startSandbox, type SandboxStack } from '../../src/sandbox/stack';
import { PIVOT_HEARTBEAT_TIMEOUT_MS } from '../../src/workflows/shared/activity-options';
import { bulkId as newBulkId, ids as orderIds } from './bulk';
import type { ServerControl } from './server-control';
import { taskQueue } from './temporal';
import { waitFor } from './wait';
import { bundlePath, killWorker, startWorkerProcess, type WorkerProcess } from './worker-process';

/** The scenario's size and timing: sized to run in about three minutes on a busy 2-core machine. */
export const CRASH = {
  orders: 300,
  batchSize: 50,
  concurrency: 4,
  /** Fincart answers this late, so the window's calls are in flight when the worker dies. */
  providerLatencyMs: 4000,
  /** The server stays down longer than the pivot's heartbeat timeout, so every lost call times out while it is down. */
  outageMs: PIVOT_HEARTBEAT_TIMEOUT_MS + 3000,
  /** After the new worker polls, the bulk must be done within this (a stall fails here, naming the stuck batches). */
  finishWithinMs: 120_000,
  workerStartMs: 180_000,
};

/** What a merchant and an operator can observe after the run (all ids are the bulk's). */
export interface CrashObservation {
  ids: string[];
  result: BulkResult;
  outcomes: BatchOrderResult[];
  sandbox: SandboxStack;
  /** Ids whose cancel call was in flight at Fincart when the worker was killed. */
  inFlightAtKill: string[];
}

/**
 * A Fincart bulk with slow answers; while the window's batch calls are in flight: worker SIGKILL, server SIGKILL,
 * server down past the heartbeat timeout, server restarted on the same data and port, a new worker. No operator action.
 */
export async function runCrashScenario(server: ServerControl, lane: string): Promise<CrashObservation> {
  const sandbox = await startSandbox();
  const workers: WorkerProcess[] = [];
  const connections: Connection[] = [];
  try {
    const bid = newBulkId('crash');
    const ids = orderIds(`CR${bid.slice(-8)}`, CRASH.orders);
    const fincart = sandbox.fincart as FincartSim;
    fincart.seed(ids.map((id) => ({ id, status: 'pending' })));
    fincart.latencyMs = CRASH.providerLatencyMs;
    const tq = taskQueue('crash');
    const workerEnv = {
      ...sandbox.env,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: server.namespace,
      TEMPORAL_TASK_QUEUE: tq,
      WORKFLOW_BUNDLE_PATH: await bundlePath(),
    };
    const startWorker = async () => {
      const w = startWorkerProcess(workerEnv);
      workers.push(w);
      await w.waitForOutput(/worker polling/, CRASH.workerStartMs);
      return w;
    };
    const connect = async () => {
      const c = await Connection.connect({ address: server.address });
      connections.push(c);
      return new Client({ connection: c, namespace: server.namespace });
    };

    const first = await startWorker();
    const started = await new BulkClient({ client: await connect(), taskQueue: tq }).startBulkCancellation({
      provider: 'fincart',
      bulkId: bid,
      orderIds: ids,
      reason: { code: 'inventory' },
      batchSize: CRASH.batchSize,
      concurrency: CRASH.concurrency,
      limits: { callsPerBatch: 1 }, // one Fincart call per batch workflow: the batches are counted below
    });
    await started.sent;
    const t0 = Date.now();

    // Every window slot has its one Fincart call in flight: the worker and then the server die under it.
    const inFlight = () => fincart.requestsFor('cancel').filter((r) => r.responseStatus === undefined);
    await waitFor(
      () => inFlight().length >= CRASH.concurrency,
      `${CRASH.concurrency} Fincart calls in flight`,
      120_000,
    );
    const inFlightAtKill = inFlight().flatMap((r) => r.orderIds);
    first.child.kill('SIGKILL');
    await first.exited;
    const killAt = Date.now();
    await server.kill9();
    const downAt = Date.now();
    // Down past the heartbeat timeout, and Fincart has acted on every call whose answer was lost.
    await waitFor(
      () =>
        Date.now() - downAt > CRASH.outageMs &&
        inFlightAtKill.every((id) => fincart.orders.get(id)?.status === 'cancelled'),
      'the outage to outlast the heartbeat timeout',
      CRASH.outageMs + 30_000,
    );
    const outageMs = Date.now() - downAt;
    await server.restart();
    const upAt = Date.now();
    await startWorker();
    const pollingAt = Date.now();

    const client = await connect();
    const handle = client.workflow.getHandle(started.workflowId);
    await waitForBulkEnd(client, handle, bid, () => figures({ ids, sandbox }));
    const finishedAt = Date.now();
    const result = (await handle.result()) as BulkResult;
    const batches = Math.ceil(CRASH.orders / CRASH.batchSize);
    const outcomes = (
      await Promise.all(
        Array.from({ length: batches }, (_, i) =>
          client.workflow.getHandle(batchWorkflowId('fincart', bid, i + 1)).result(),
        ),
      )
    ).flatMap((r: { results: BatchOrderResult[] }) => r.results);
    const observed = { ids, result, outcomes, sandbox, inFlightAtKill };
    console.log(
      `crash-during-bulk (${lane}): ${JSON.stringify({
        ...figures(observed),
        inFlightAtKill: inFlightAtKill.length,
        killAfterMs: killAt - t0,
        outageMs,
        serverRestartMs: upAt - downAt - outageMs,
        newWorkerStartMs: pollingAt - upAt,
        finishedAfterNewWorkerMs: finishedAt - pollingAt,
        totalMs: finishedAt - t0,
      })}`,
    );
    return observed;
  } finally {
    for (const w of workers) await killWorker(w);
    for (const c of connections) await c.close().catch(() => undefined);
    await sandbox.stop();
  }
}

/** Wait for the bulk to close; on a stall, fail naming the batches still running and their state. */
async function waitForBulkEnd(
  client: Client,
  handle: WorkflowHandle,
  bid: string,
  seen: () => Record<string, unknown>,
): Promise<void> {
  try {
    await waitFor(
      async () => (await handle.describe()).status.name !== 'RUNNING',
      'the bulk to finish',
      CRASH.finishWithinMs,
    );
  } catch {
    const stuck: string[] = [];
    for await (const wf of client.workflow.list({
      query: `CancelBulkId = "${bid}" AND ExecutionStatus = "Running" AND WorkflowType = "cancelFincartBatch"`,
    })) {
      stuck.push(`${wf.workflowId} (${String(wf.searchAttributes?.CancelState?.[0] ?? '?')})`);
    }
    const progress: BulkProgress | string = await handle.query(progressQuery).catch((e: Error) => e.message);
    throw new Error(
      `the bulk stalled: not done ${CRASH.finishWithinMs / 1000} s after the new worker started; ` +
        `batches still running: ${stuck.join(', ') || 'none'}; progress: ${JSON.stringify(progress)}; ` +
        `seen so far: ${JSON.stringify(seen())}`,
    );
  }
}

/** The run's figures: outcomes, calls, order-log reads and cancellations per id at Fincart, merchant events per order. */
export function figures(o: Pick<CrashObservation, 'ids' | 'sandbox'> & { result?: BulkResult }) {
  const fincart = o.sandbox.fincart as FincartSim;
  const tally = (values: (string | number)[]) =>
    values.reduce<Record<string, number>>((acc, v) => ({ ...acc, [v]: (acc[v] ?? 0) + 1 }), {});
  const short = (t: string) => t.replace('cancellation.', '');
  return {
    orders: o.ids.length,
    ...(o.result ? { outcomes: o.result.byOutcome } : {}),
    cancelledAtFincartTimes: tally(o.ids.map((id) => fincart.cancelledTimes(id))),
    cancelCallsPerId: tally(o.ids.map((id) => fincart.requestsFor('cancel', id).length)),
    orderLogReadsPerId: tally(o.ids.map((id) => fincart.requestsFor('logs', id).length)),
    merchantEventsPerOrder: tally(o.ids.map((id) => o.sandbox.merchant.typesFor(id).map(short).join(','))),
  };
}

/** Merchant-visible checks: each order cancelled at Fincart once, CANCELLED, and never told to release or aborted. */
export function expectMerchantView(o: CrashObservation): void {
  const fincart = o.sandbox.fincart as FincartSim;
  expect(o.inFlightAtKill.length).toBeGreaterThanOrEqual(CRASH.batchSize); // the fault hit calls in flight
  expect(o.ids.filter((id) => fincart.cancelledTimes(id) !== 1)).toEqual([]);
  expect(o.result.state).toBe('DONE');
  expect(o.result.byOutcome).toEqual({ CANCELLED: o.ids.length });
  expect(o.outcomes.filter((r) => r.outcome !== 'CANCELLED' || r.providerCancelled !== true)).toEqual([]);
  const wrong = ['cancellation.hold_released', 'cancellation.aborted'];
  const told = o.ids.flatMap((id) =>
    o.sandbox.merchant
      .typesFor(id)
      .filter((t) => wrong.includes(t))
      .map((t) => `${id}: ${t}`),
  );
  expect(told).toEqual([]);
  expect(o.ids.filter((id) => !o.sandbox.merchant.typesFor(id).includes('cancellation.completed'))).toEqual([]);
}
