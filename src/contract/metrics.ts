/**
 * The orchestrator's own Prometheus metrics, recorded through the SDK's metric meter so they come out of the SDK's
 * exporter on METRICS_BIND_ADDRESS beside its `temporal_*` runtime metrics (names as exported: no prefix is added).
 */
export const METRICS = {
  /** Counter: a cancellation reached its outcome. Labels: provider, outcome. */
  cancellationsFinished: 'cancellations_finished_total',
  /** Histogram (ms; `_bucket`/`_sum`/`_count`): one provider call. Labels: provider, operation (lookup/cancel), result. */
  providerCallLatency: 'provider_call_latency',
  /** Counter: one merchant webhook delivery attempt. Labels: type, result. */
  webhookDeliveries: 'merchant_webhook_deliveries_total',
  /** Counter: an order of a bulk request got its outcome. Labels: provider, outcome. */
  bulkOrdersProcessed: 'bulk_orders_processed_total',
  /** Gauge: running cancellations in AWAITING_OPERATOR (namespace-wide, from visibility). */
  awaitingOperator: 'cancellations_awaiting_operator',
} as const;

/** `result` of a provider call: ok, or the error taxonomy's kind. */
export type ProviderCallResult = 'ok' | 'rejected' | 'transient' | 'auth' | 'response' | 'cancelled' | 'error';

/** Buckets (ms) of the provider latency histogram: 10 ms to 30 s. */
export const PROVIDER_LATENCY_BUCKETS_MS = [10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000];
