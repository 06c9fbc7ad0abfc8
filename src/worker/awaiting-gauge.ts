import type { MetricMeter } from '@temporalio/common';
import type { Logger, NativeConnection } from '@temporalio/worker';
import { METRICS } from '../contract/metrics';

/** Running cancellations waiting for an operator, as the Web UI filter finds them. */
export const AWAITING_OPERATOR_QUERY = `WorkflowType = "cancelOrder" AND ExecutionStatus = "Running" AND CancelState = "AWAITING_OPERATOR"`;

/**
 * Keep the `cancellations_awaiting_operator` gauge current from visibility (one count call every `everyMs`).
 * The value is namespace-wide: with several workers, graph `max()` of it. Returns a stop function.
 */
export function watchAwaitingOperator(
  connection: Pick<NativeConnection, 'workflowService'>,
  namespace: string,
  meter: MetricMeter,
  logger: Logger,
  everyMs = 15_000,
): () => void {
  const gauge = meter.createGauge(METRICS.awaitingOperator, 'int', '1', 'cancellations waiting for an operator');
  let warned = false;
  const tick = async () => {
    try {
      const { count } = await connection.workflowService.countWorkflowExecutions({
        namespace,
        query: AWAITING_OPERATOR_QUERY,
      });
      gauge.set(Number(count ?? 0));
      warned = false;
    } catch (err) {
      // A visibility hiccup must not stop the worker; say it once until it recovers.
      if (!warned) logger.warn(`could not count cancellations awaiting an operator: ${String(err)}`);
      warned = true;
    }
  };
  void tick();
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
