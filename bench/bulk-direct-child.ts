import { closeSharedAgent } from '../src/providers/http';
import { createDirectBulk, type DirectBulkOptions } from './bulk-direct';

/** What the parent asks of the plain script: a bulk of `n` seeded ids `${prefix}${i}` (i padded to 7 digits). */
export interface DirectJob extends DirectBulkOptions {
  bulkId: string;
  prefix: string;
  n: number;
}

/** What the plain script reports: its own wall time and CPU (the run only, not start-up). */
export interface DirectReport {
  wallMs: number;
  cpuMs: number;
  cancelled: number;
  events: number;
}

/**
 * The plain script in its own process, as the worker runs in its own: the simulators stay in the bench process for
 * both. Started by bench/bulk100k.ts with the sandbox's variables; one `run` message, one `done` answer.
 */
process.on('message', (job: DirectJob) => {
  const ids = Array.from({ length: job.n }, (_, i) => `${job.prefix}${String(i).padStart(7, '0')}`);
  const direct = createDirectBulk(process.env as Record<string, string>, job);
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  direct(job.bulkId, ids)
    .then(async (r) => {
      const cpu = process.cpuUsage(cpu0);
      const report: DirectReport = { wallMs: Date.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, ...r };
      await closeSharedAgent();
      process.send?.({ type: 'done', report });
    })
    .catch((err: unknown) => {
      process.send?.({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
    });
});
process.send?.({ type: 'ready' });
