import type { Command } from 'commander';

/** `worker` and `dev`: long-running commands; their heavy modules load only when one of them runs. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run a worker from the environment until SIGINT/SIGTERM (see README: Configuration)')
    .action(async () => (await import('../../worker/main')).runWorker());
  program
    .command('dev')
    .description('the embedded default: local Temporal + provider simulators + a worker, with demo orders')
    .option('--db-file <path>', 'where the dev server keeps its data (default .temporal/dev.db)')
    .action(async (opts: { dbFile?: string }) => (await import('./dev')).runDev(opts));
}
