import {
  DefaultLogger,
  makeTelemetryFilterString,
  NativeConnection,
  Runtime,
  Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import { loadConfig } from '../src/config';
import { providerTaskQueue } from '../src/contract/providers';
import { closeSharedAgent } from '../src/providers/http';
import { applyTuning, createWorker } from '../src/worker/create-worker';
import { runAlongside } from '../src/worker/provider-workers';
import { activityDepsFrom } from '../src/worker/providers';
import { createCeilingActivities } from './lib/ceiling-activities';

/**
 * The production worker (createWorker, wired to the sandbox as bench/lib/worker.ts does) alone in this process, so
 * the bench can read what the worker costs apart from the client and the simulators. Started by bench/worker.ts with
 * the sandbox's variables plus BENCH_TEMPORAL_ADDRESS, BENCH_TASK_QUEUE, BENCH_BUNDLE (a workflow bundle file) and
 * BENCH_WORKER_SETTINGS (JSON Worker options). Answers `usage` messages on its IPC channel; `stop` ends it.
 * BENCH_WORKER_CEILING=1 runs the same-shape ceiling instead (BENCH_BUNDLE then holds bench/ceiling-workflow.ts): the
 * floor, what the SDK itself costs for cancelOrder's shape with activities that answer at once.
 */
export interface ChildUsage {
  /** CPU (user + system) since the process started, ms. */
  cpuMs: number;
  /** Resident memory now and its peak since start (bytes). */
  rss: number;
  peakRss: number;
  heapUsed: number;
}

function usage(): ChildUsage {
  const cpu = process.cpuUsage();
  return {
    cpuMs: (cpu.user + cpu.system) / 1000,
    rss: process.memoryUsage.rss(),
    peakRss: process.resourceUsage().maxRSS * 1024,
    heapUsed: process.memoryUsage().heapUsed,
  };
}

async function main(): Promise<void> {
  const need = (k: string) => process.env[k] ?? fail(`${k} is not set`);
  // Errors only: at 150 in flight on a busy machine core warns about every slow workflow task.
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }), forward: {} },
    },
  });
  const config = loadConfig(process.env);
  const connection = await NativeConnection.connect({ address: need('BENCH_TEMPORAL_ADDRESS') });
  const settings = JSON.parse(process.env.BENCH_WORKER_SETTINGS ?? '{}') as Partial<WorkerOptions>;
  const worker = await (process.env.BENCH_WORKER_CEILING === '1'
    ? ceilingWorker(connection, need('BENCH_TASK_QUEUE'), need('BENCH_BUNDLE'), settings)
    : createWorker({
        connection,
        taskQueue: need('BENCH_TASK_QUEUE'),
        deps: activityDepsFrom(config),
        maxConcurrentActivityTaskExecutions: settings.maxConcurrentActivityTaskExecutions,
        worker: {
          ...settings,
          workflowBundle: { codePath: need('BENCH_BUNDLE') },
          workflowsPath: undefined,
          shutdownGraceTime: '1s',
        },
      }));
  process.on('message', (m: { type: string; id?: number }) => {
    if (m.type === 'usage') process.send?.({ type: 'usage', id: m.id, usage: usage() });
    if (m.type === 'stop') worker.shutdown();
  });
  process.send?.({ type: 'ready', usage: usage() });
  await worker.run();
  await connection.close();
  await closeSharedAgent();
  process.disconnect?.();
}

/**
 * The same-shape ceiling as the production worker runs it: createWorker's tuning (slots and cache from the machine,
 * the sandbox's stack-trace limit) and 200 activity slots, the lookup and the pivot on an activity-only worker on the
 * Fungies queue alongside (createWorker runs one per enabled provider).
 */
async function ceilingWorker(
  connection: NativeConnection,
  taskQueue: string,
  bundle: string,
  settings: Partial<WorkerOptions>,
): Promise<Worker> {
  const activities = createCeilingActivities();
  const tuning = applyTuning();
  const slots = settings.maxConcurrentActivityTaskExecutions ?? 200;
  const fungies = await Worker.create({
    connection,
    taskQueue: providerTaskQueue(taskQueue, 'fungies'),
    activities,
    maxConcurrentActivityTaskExecutions: slots,
    shutdownGraceTime: '1s',
  });
  return Worker.create({
    ...tuning,
    ...settings,
    connection,
    taskQueue,
    activities,
    maxConcurrentActivityTaskExecutions: slots,
    workflowBundle: { codePath: bundle },
    shutdownGraceTime: '1s',
    plugins: [runAlongside([fungies])],
  });
}

function fail(message: string): never {
  throw new Error(message);
}

main().catch((err: unknown) => {
  console.error(`bench worker: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(1);
});
