import { performance } from 'node:perf_hooks';
import { Client, WithStartWorkflowOperation, WorkflowIdConflictPolicy } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { CancellationClient } from '../../src/client/cancellation-client';
import { CancelOrderId, CancelProvider, CancelState, waitAcceptedUpdate } from '../../src/contract';
import type { CeilingInput } from './ceiling-activities';
import type { BenchContext } from './types';

const reason = { code: 'customer_request' as const };

/** cancelOrder through the typed client (zod check, search attributes, summary), waiting for the outcome. */
export function cancelOp(ctx: BenchContext, taskQueue: string): (orderId: string) => Promise<void> {
  const client = new CancellationClient({ client: ctx.env.client, taskQueue });
  return async (orderId) => {
    const handle = await client.startCancellation({ provider: 'fungies', orderId, reason });
    const result = await handle.result();
    if (result.outcome !== 'CANCELLED') throw new Error(`${orderId}: ${result.outcome}: ${result.message}`);
  };
}

export const ceilingWorkflowId = (orderId: string): string => `ceiling:fungies:${orderId}`;

/**
 * ceilingCancel started with the same options as CancellationClient.startCancellation, waiting for the result.
 * `eagerStart`: through a client on the worker's own connection, asking the server to hand the first workflow task
 * straight back in the start answer (diagnostics: what eager start would save).
 */
export function ceilingOp(ctx: BenchContext, taskQueue: string, variant?: CeilingInput['variant'], eagerStart = false) {
  const client = eagerStart
    ? new Client({ connection: ctx.env.nativeConnection, namespace: ctx.env.namespace ?? 'default' })
    : ctx.env.client;
  return async (orderId: string): Promise<void> => {
    const handle = await client.workflow.start('ceilingCancel', {
      ...ceilingStartOptions(taskQueue, orderId, variant),
      requestEagerStart: eagerStart || undefined,
    });
    await handle.result();
  };
}

/** The start options of ceilingCancel: those of CancellationClient.startCancellation. */
function ceilingStartOptions(taskQueue: string, orderId: string, variant?: CeilingInput['variant']) {
  return {
    taskQueue,
    workflowId: ceilingWorkflowId(orderId),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
    args: [{ provider: 'fungies', orderId, reason, variant } satisfies CeilingInput],
    staticSummary: `Cancel fungies order ${orderId} — ${reason.code}`,
    typedSearchAttributes: new TypedSearchAttributes([
      { key: CancelProvider, value: 'fungies' },
      { key: CancelOrderId, value: orderId },
      { key: CancelState, value: 'CHECKING_ELIGIBILITY' },
    ]),
  };
}

/** ceilingCancel's early answer as requestCancellation asks it (update-with-start `waitAccepted`); ms to the answer. */
export async function ceilingAccept(client: Client, taskQueue: string, orderId: string): Promise<number> {
  const t0 = performance.now();
  await client.workflow.executeUpdateWithStart(waitAcceptedUpdate, {
    startWorkflowOperation: new WithStartWorkflowOperation('ceilingCancel', ceilingStartOptions(taskQueue, orderId)),
  });
  const ms = performance.now() - t0;
  await client.workflow.getHandle(ceilingWorkflowId(orderId)).result();
  return ms;
}
