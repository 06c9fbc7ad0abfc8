import {
  metricMeter,
  workflowInfo,
  type Next,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import {
  BULK_ID_PREFIX,
  LEGACY_BATCH_PROVIDER,
  METRICS,
  WORKFLOW_TYPES,
  type BulkResult,
  type CancelOrderResult,
  type BatchInput,
  type BatchResult,
} from '../contract/lean';

/**
 * Outcome metrics recorded as each workflow ends, through the workflow metric meter (never emitted on replay), so
 * the workflows themselves stay free of metrics code. Registered as a workflow interceptor module of the bundle.
 */
class OutcomeMetrics implements WorkflowInboundCallsInterceptor {
  async execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>): Promise<unknown> {
    const result = await next(input);
    recordOutcome(result, input.args[0]);
    return result;
  }
}

function recordOutcome(result: unknown, input: unknown): void {
  const info = workflowInfo();
  const finished = metricMeter.createCounter(
    METRICS.cancellationsFinished,
    '1',
    'cancellations that reached an outcome',
  );
  const bulk = metricMeter.createCounter(METRICS.bulkOrdersProcessed, '1', 'orders of bulk requests with an outcome');
  const inBulk = info.workflowId.startsWith(BULK_ID_PREFIX) || !!info.parent?.workflowId.startsWith(BULK_ID_PREFIX);
  switch (info.workflowType) {
    case WORKFLOW_TYPES.cancelOrder: {
      const r = result as CancelOrderResult;
      finished.add(1, { provider: r.provider, outcome: r.outcome });
      if (inBulk) bulk.add(1, { provider: r.provider, outcome: r.outcome });
      return;
    }
    case WORKFLOW_TYPES.cancelFincartBatch: {
      // Each order of a batch is a cancellation of its own.
      const provider = (input as BatchInput | undefined)?.provider ?? LEGACY_BATCH_PROVIDER;
      for (const o of (result as BatchResult).results) {
        finished.add(1, { provider, outcome: o.outcome });
        bulk.add(1, { provider, outcome: o.outcome });
      }
      return;
    }
    case WORKFLOW_TYPES.bulkCancelOrders: {
      // Orders that never reached a child: the children count the others themselves.
      const r = result as BulkResult;
      for (const outcome of ['NOT_STARTED', 'ALREADY_RUNNING'] as const) {
        const n = r.byOutcome[outcome] ?? 0;
        if (n > 0) bulk.add(n, { provider: r.provider, outcome });
      }
      return;
    }
  }
}

/** No workflow type tag on these metrics (the SDK still adds namespace and taskQueue): provider and outcome say it. */
class OwnTagsOnly implements WorkflowOutboundCallsInterceptor {
  getMetricTags(): Record<string, string> {
    return {};
  }
}

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [new OutcomeMetrics()],
  outbound: [new OwnTagsOnly()],
});
