import type { VersioningBehavior, WorkflowDefinitionOptions } from '@temporalio/common';
import { workflowInfo } from '@temporalio/workflow';

/**
 * A workflow's versioning behavior for `setWorkflowOptions`, declared only on a versioned worker: the server refuses
 * a behavior from an unversioned one (WORKER_DEPLOYMENT_NAME/WORKER_BUILD_ID unset) and fails every workflow task.
 * (An unversioned worker still reports a build id, with an empty deployment name.)
 */
export function versioned(behavior: VersioningBehavior): () => WorkflowDefinitionOptions {
  return () => (workflowInfo().currentDeploymentVersion?.deploymentName ? { versioningBehavior: behavior } : {});
}
