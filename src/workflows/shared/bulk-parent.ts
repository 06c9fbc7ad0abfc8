import { getExternalWorkflowHandle, workflowInfo } from '@temporalio/workflow';
import { childAwaitingSignal } from '../../contract/lean';

/** Workflow ids of bulks start with this; their batches add `:batch:{n}`. */
export const BULK_ID_PREFIX = 'bulk-cancel:';

/** When started by a bulk, tell it this workflow waits for an operator (true) or not any more (false). */
export async function tellBulkParent(awaiting: boolean): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent?.workflowId.startsWith(BULK_ID_PREFIX)) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId).signal(childAwaitingSignal, {
      workflowId: workflowInfo().workflowId,
      awaiting,
    });
  } catch {
    // The bulk may have ended; its count is only a hint and the child's own state is what matters.
  }
}
