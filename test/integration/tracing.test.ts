import { trace } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { Client } from '@temporalio/client';
import { CancellationClient } from '../../src/client/cancellation-client';
import { tracingClientInterceptors } from '../../src/tracing';
import { ancestry, renderTree, startOtlpReceiver, type ReceivedSpan } from '../helpers/otlp-receiver';
import { startTestStack, type TestStack } from '../helpers/stack';
import { taskQueue } from '../helpers/temporal';
import { waitFor } from '../helpers/wait';
import { killWorker, spawnWorker, type WorkerProcess } from '../helpers/worker-process';

let stack: TestStack;
let worker: WorkerProcess | undefined;
let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
let backend: NodeTracerProvider;
beforeAll(async () => {
  stack = await startTestStack();
  receiver = await startOtlpReceiver();
  // This test process plays the backend service: its own tracer provider, exporting to the same receiver.
  backend = new NodeTracerProvider({
    resource: new Resource({ 'service.name': 'backend' }),
    spanProcessors: [new SimpleSpanProcessor(new OTLPTraceExporter({ url: `${receiver.url}/v1/traces` }))],
  });
  backend.register();
});
afterAll(async () => {
  await killWorker(worker);
  await backend?.shutdown();
  trace.disable();
  await receiver?.close();
  await stack?.teardown();
});

test('one trace from the backend’s startCancellation through the workflow to the provider’s HTTP request', async () => {
  const tq = taskQueue('trace');
  worker = await spawnWorker(stack, tq, {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_SERVICE_NAME: 'order-cancellation-worker',
  });
  await worker.waitForOutput(/worker polling/);
  stack.sandbox.fungies.seed([{ id: 'trace-1', status: 'PAID', paid: true }]);
  const client = new CancellationClient({
    client: new Client({ connection: stack.env.connection, interceptors: tracingClientInterceptors() }),
    taskQueue: tq,
  });
  const tracer = trace.getTracer('backend');
  const handle = await tracer.startActiveSpan('POST /orders/trace-1/cancel', async (span) => {
    try {
      return await client.startCancellation({ provider: 'fungies', orderId: 'trace-1', reason: { code: 'staff' } });
    } finally {
      span.end();
    }
  });
  expect((await handle.result()).outcome).toBe('CANCELLED');
  worker.child.kill('SIGTERM'); // the worker flushes its spans as it stops
  expect(await worker.exited).toEqual({ code: 0, signal: null });
  await backend.forceFlush();

  const spans = receiver.spans;
  const root = await waitFor(() => spans.find((s) => s.name === 'POST /orders/trace-1/cancel'), 'backend span');
  const isCancelCall = (s: ReceivedSpan) =>
    s.name === 'PATCH' && String(s.attributes['url.full']).includes('/v0/orders/trace-1/cancel');
  const http = await waitFor(() => spans.find(isCancelCall), 'the provider HTTP span');
  const chain = ancestry(spans, http).map((s) => `${s.name} [${s.service}]`);
  process.stdout.write(`--- trace ${root.traceId} ---\n${renderTree(spans, root.traceId)}\n`);
  // Backend → client start → workflow run → activity start → activity run → provider request, parent by parent.
  expect(chain).toEqual([
    'PATCH [order-cancellation-worker]',
    'RunActivity:cancelAtProvider [order-cancellation-worker]',
    'StartActivity:cancelAtProvider [order-cancellation-worker]',
    'RunWorkflow:cancelOrder [order-cancellation-worker]',
    'StartWorkflow:cancelOrder [backend]',
    'POST /orders/trace-1/cancel [backend]',
  ]);
  expect(http.traceId).toBe(root.traceId);
  // Merchant webhooks are spans of the same trace too.
  const webhooks = spans.filter((s) => s.traceId === root.traceId && s.name === 'POST' && s.service !== 'backend');
  expect(webhooks.length).toBeGreaterThanOrEqual(3);
});
