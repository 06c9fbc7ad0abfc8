import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CancellationClient } from '../../src/client/cancellation-client';
import { batchWorkflowId, type CancelBatchWorkflow, type CancelOrderInput, type Snapshot } from '../../src/contract';
import type { HookCall } from '../../src/merchant/port';
import type { CancelResult } from '../../src/providers/types';
import { fakeMerchant, fakeProvider } from '../helpers/fakes';
import { waitFor } from '../helpers/wait';
import { fakeWorker } from '../helpers/workflow-layer';

// One order cancelled through either workflow (cancelOrder, or a one-order cancelFincartBatch) against a fake Fincart
// and fake merchant hooks, so a test of a shared rule runs the same scenario through both and compares what the
// merchant saw.

export const reason = { code: 'customer_request' } as const;

/** How the fake provider answers a cancel of one order (n: the calls before); throw to fail. */
export type CancelScript = (orderId: string, n: number) => CancelResult;

export interface Scenario {
  orderId: string;
  snapshot?: Snapshot;
  options?: CancelOrderInput['options'];
  cancel?: CancelScript;
  /** Throw for a merchant call to fail it. */
  merchantFails?: (call: HookCall) => void;
  /** Runs while the workflow does (the operator's part); gets the workflow id and the client. */
  operator?: (ctl: Operator) => Promise<void>;
}

export interface Operator {
  workflowId: string;
  client: CancellationClient;
  merchant: ReturnType<typeof fakeMerchant>;
  /** Wait until the workflow waits for an operator and the merchant has had `notices` needs_attention events. */
  awaiting(notices?: number): Promise<void>;
}

/** What the order ended with and what its merchant was told. */
export interface Ended {
  outcome: string;
  message: string;
  providerCancelled: unknown;
  /** The merchant's calls for this order, in order. */
  calls: HookCall[];
  events: string[];
}

export interface Path {
  name: 'cancelOrder' | 'cancelFincartBatch';
  run(env: TestWorkflowEnvironment, s: Scenario): Promise<Ended>;
}

async function setup(env: TestWorkflowEnvironment, s: Scenario) {
  const cancel: CancelScript = s.cancel ?? ((orderId) => ({ orderId, status: 'CANCELLED' }));
  const fincart = fakeProvider('fincart', {
    cancel,
    cancelMany: (ids, n) => ids.map((id) => cancel(id, n)),
  });
  const merchant = fakeMerchant(s.merchantFails);
  const { worker, taskQueue } = await fakeWorker(env, {
    providers: { fincart: fincart.adapter },
    hooks: merchant.hooks,
  });
  const client = new CancellationClient({ client: env.client, taskQueue });
  return { merchant, worker, taskQueue, client };
}

function operator(workflowId: string, client: CancellationClient, merchant: Operator['merchant']): Operator {
  const awaiting = (notices = 1) =>
    waitFor(async () => {
      const told = merchant.calls.filter((c) => c.type === 'cancellation.needs_attention').length;
      const s = await client.getStatus(workflowId);
      return s.state === 'AWAITING_OPERATOR' && told >= notices ? true : undefined;
    }, `${workflowId} to await an operator (notice ${notices})`).then(() => undefined);
  return { workflowId, client, merchant, awaiting };
}

/** The single-order saga. */
export const single: Path = {
  name: 'cancelOrder',
  async run(env, s) {
    const { merchant, worker, client } = await setup(env, s);
    const result = await worker.runUntil(async () => {
      const { orderId, snapshot, options } = s;
      const h = await client.startCancellation({ provider: 'fincart', orderId, snapshot, options, reason });
      await s.operator?.(operator(h.workflowId, client, merchant));
      return h.result();
    });
    const calls = merchant.calls.filter((c) => c.orderId === s.orderId);
    return { ...result, calls, events: calls.map((c) => c.type) };
  },
};

/** The batch workflow, with the order as its only one. */
export const batch: Path = {
  name: 'cancelFincartBatch',
  async run(env, s) {
    const { merchant, worker, taskQueue, client } = await setup(env, s);
    const bulkId = `rules-${s.orderId}`;
    const workflowId = batchWorkflowId('fincart', bulkId, 1);
    const result = await worker.runUntil(async () => {
      const h = await env.client.workflow.start<CancelBatchWorkflow>('cancelFincartBatch', {
        taskQueue,
        workflowId,
        args: [
          {
            provider: 'fincart',
            bulkId,
            batchNo: 1,
            orders: [{ orderId: s.orderId, snapshot: s.snapshot }],
            reason,
            options: s.options,
          },
        ],
      });
      await s.operator?.(operator(workflowId, client, merchant));
      return h.result();
    });
    const [r] = result.results;
    const calls = merchant.calls.filter((c) => c.orderId === s.orderId);
    return { ...r, calls, events: calls.map((c) => c.type) };
  },
};

export const BOTH: Path[] = [single, batch];
