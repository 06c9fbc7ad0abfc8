import { getExternalWorkflowHandle, patched, workflowInfo } from '@temporalio/workflow';
import { childAwaitingSignal, childEndedSignal, type ChildOrderEnd } from '../../contract/lean';

/** Histories from before a waiting child reported its end to the bulk (the bulk then waited for it in the window). */
export const CHILD_ENDED_PATCH = 'child-ended-signal-v1';

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

/**
 * A child that waited for an operator tells its bulk how it ended (the bulk may have continued as new meanwhile and
 * no longer follows it). Children that never waited are followed by their bulk to the end: the caller skips them.
 */
export async function tellBulkParentEnded(results: ChildOrderEnd[]): Promise<void> {
  const parent = workflowInfo().parent;
  if (!parent?.workflowId.startsWith(BULK_ID_PREFIX) || !patched(CHILD_ENDED_PATCH)) return;
  try {
    await getExternalWorkflowHandle(parent.workflowId).signal(childEndedSignal, {
      workflowId: workflowInfo().workflowId,
      results,
    });
  } catch {
    // The bulk ended (aborted): the outcomes stay in this workflow's result.
  }
}
