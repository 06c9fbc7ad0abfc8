import type { Worker } from '@temporalio/worker';
import { BulkClient, type StartBulkInput, type StartBulkOptions } from '../../src/client/bulk-client';
import type { BulkResult } from '../../src/contract';
import type { TestStack } from './stack';

/** Start a bulk through the client on this worker's queue (with the client's per-bulk options) and wait for its result. */
export async function runBulk(
  stack: TestStack,
  w: { worker: Worker; taskQueue: string },
  input: StartBulkInput,
  clientOpts: { chunkSize?: number; inlineMax?: number } = {},
  startOpts: StartBulkOptions = {},
): Promise<{ result: BulkResult; workflowId: string; client: BulkClient }> {
  const client = new BulkClient({ client: stack.env.client, taskQueue: w.taskQueue, ...clientOpts });
  return w.worker.runUntil(async () => {
    const started = await client.startBulkCancellation(input, startOpts);
    await started.sent;
    return { result: await started.handle.result(), workflowId: started.workflowId, client };
  });
}

/** ids `${prefix}-0001` … */
export function ids(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(4, '0')}`);
}

let seq = 0;
/** A bulk id unique in this process. */
export function bulkId(name: string): string {
  seq += 1;
  return `${name}-${process.pid}-${Date.now()}-${seq}`;
}
