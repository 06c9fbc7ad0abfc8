import type { RuntimeOptions } from '@temporalio/worker';
import { METRICS, PROVIDER_LATENCY_BUCKETS_MS } from '../contract/metrics';

/** The SDK runtime's Prometheus exporter on `bindAddress`; the orchestrator's metrics go through the same meter. */
export function metricsTelemetry(bindAddress: string): NonNullable<RuntimeOptions['telemetryOptions']> {
  return {
    metrics: {
      // One worker per process: a constant service_name label would only add noise to every series.
      attachServiceName: false,
      prometheus: {
        bindAddress,
        histogramBucketOverrides: { [METRICS.providerCallLatency]: PROVIDER_LATENCY_BUCKETS_MS },
      },
    },
  };
}
