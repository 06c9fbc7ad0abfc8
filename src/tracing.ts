import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { WorkerOptions } from '@temporalio/worker';

/** The process's tracing: on when OTEL_EXPORTER_OTLP_ENDPOINT is set (OTLP/HTTP), a no-op otherwise. */
export interface Tracing {
  enabled: boolean;
  processor: SpanProcessor;
  resource: Resource;
  /** Flush and stop (worker shutdown, CLI exit). */
  shutdown(): Promise<void>;
}

let current: Tracing | undefined;

/**
 * Start tracing once per process from the standard OTEL_* variables: a global tracer provider exporting with OTLP/HTTP
 * (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SERVICE_NAME) and a span per undici request (provider calls, webhooks).
 */
export function startTracing(source: NodeJS.ProcessEnv = process.env, defaultService = 'order-cancellation'): Tracing {
  if (current) return current;
  const resource = new Resource({ 'service.name': source.OTEL_SERVICE_NAME?.trim() || defaultService });
  if (!source.OTEL_EXPORTER_OTLP_ENDPOINT?.trim()) {
    current = { enabled: false, processor: new NoopSpanProcessor(), resource, shutdown: async () => {} };
    return current;
  }
  // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (+ /v1/traces) and OTEL_EXPORTER_OTLP_HEADERS itself.
  const processor = new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 1_000 });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  provider.register();
  const undici = new UndiciInstrumentation();
  current = {
    enabled: true,
    processor,
    resource,
    shutdown: async () => {
      undici.disable();
      await provider.shutdown();
    },
  };
  return current;
}

/** Whether this process traces (startTracing found OTEL_EXPORTER_OTLP_ENDPOINT). */
export function tracingEnabled(): boolean {
  return current?.enabled ?? false;
}

/** Client interceptors that start a trace (or join the caller's) and carry it into the workflow's headers. */
export function tracingClientInterceptors(): { workflow: WorkflowClientInterceptor[] } {
  return { workflow: [new OpenTelemetryWorkflowClientInterceptor()] };
}

/** Worker options for tracing: activity spans, and the sink that workflow spans leave the sandbox by (none when off). */
export function tracingWorkerOptions(): Pick<WorkerOptions, 'sinks'> & {
  activityInterceptors: NonNullable<NonNullable<WorkerOptions['interceptors']>['activity']>;
} {
  if (!current?.enabled) return { sinks: {}, activityInterceptors: [] };
  const t = current;
  return {
    sinks: { exporter: makeWorkflowExporter(t.processor, t.resource) },
    activityInterceptors: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
  };
}

/** The workflow interceptor module of the tracing package (bundled with the workflows). */
export const TRACING_WORKFLOW_MODULE =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');
