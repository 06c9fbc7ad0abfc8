/**
 * The production worker (createWorker, the bench tuning) in a process of its own, so a bench can read its CPU and
 * peak RSS apart from the client and the simulators. Started by `forkWorker` (bench/lib/worker-process.ts) with
 * one JSON argument ({@link ChildWorkerSpec}); tells the parent `ready` over IPC, stops on `stop` and answers with
 * its own usage before it exits.
 */
import { readFileSync } from 'node:fs';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createWebhookHooks } from '../../src/merchant/webhook';
import { loadConfig } from '../../src/config';
import { createWorker } from '../../src/worker/create-worker';
import { buildAdapters } from '../../src/worker/providers';
import { WORKER_SETTINGS } from './worker';

export interface ChildWorkerSpec {
  address: string;
  namespace: string;
  taskQueue: string;
  /** Workflow bundle written by the parent (bundling here would count webpack in the worker's peak RSS). */
  bundlePath: string;
  /** The sandbox's provider and merchant variables. */
  sandboxEnv: Record<string, string>;
  /** Worker option overrides (e.g. BENCH_WORKER_* experiments). */
  overrides?: Record<string, number>;
}

/** What the child reports when it stops. */
export interface ChildUsage {
  cpuMs: number;
  /** VmHWM: the peak resident set of the whole process (ts-node and the TypeScript compiler included). */
  peakRssBytes: number;
  /** VmRSS right after the worker was ready (before any work): the fixed cost. */
  idleRssBytes: number;
}

function statusKb(field: 'VmHWM' | 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) : 0;
}

async function main(): Promise<void> {
  const spec = JSON.parse(process.argv[2]) as ChildWorkerSpec;
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const config = loadConfig(spec.sandboxEnv);
  const connection = await NativeConnection.connect({ address: spec.address });
  const worker = await createWorker({
    connection,
    namespace: spec.namespace,
    taskQueue: spec.taskQueue,
    deps: {
      providers: buildAdapters(config.env),
      hooks: createWebhookHooks({ url: config.env.MERCHANT_WEBHOOK_URL, secret: config.env.MERCHANT_WEBHOOK_SECRET }),
      eligibility: config.eligibility,
      policies: config.policies,
    },
    maxConcurrentActivityTaskExecutions:
      spec.overrides?.maxConcurrentActivityTaskExecutions ?? WORKER_SETTINGS.maxConcurrentActivityTaskExecutions,
    worker: {
      ...WORKER_SETTINGS,
      ...spec.overrides,
      workflowBundle: { codePath: spec.bundlePath },
      workflowsPath: undefined,
      shutdownGraceTime: '1s',
    },
  });
  const idleRssBytes = statusKb('VmRSS') * 1024;
  process.on('message', (m) => {
    if (m === 'stop') worker.shutdown();
  });
  process.send?.('ready');
  await worker.run();
  await connection.close();
  const cpu = process.cpuUsage();
  const usage: ChildUsage = {
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes: statusKb('VmHWM') * 1024,
    idleRssBytes,
  };
  process.send?.({ usage });
  process.disconnect?.();
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
