import type { Client } from '@temporalio/client';

/** A workflow's whole history as text, payload bytes decoded, so a test can search it for leaked secrets. */
export async function historyText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return JSON.stringify(history, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : value,
  );
}
