import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';

/**
 * The first event of a run's history (its start: input, priority, time): one call, answered by the server alone (a
 * query would need a worker, and the run may be waiting for one).
 */
export async function startedEvent(
  client: Client,
  workflowId: string,
  runId: string,
): Promise<temporal.api.history.v1.IHistoryEvent | undefined> {
  const res = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  return res.history?.events?.[0] ?? undefined;
}

/** The input (first argument) a run was started with, decoded through the client's data converter. */
export async function startInput<T>(
  client: Client,
  event: temporal.api.history.v1.IHistoryEvent | undefined,
): Promise<T | undefined> {
  const payloads = event?.workflowExecutionStartedEventAttributes?.input?.payloads;
  const [input] = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads);
  return input as T | undefined;
}
