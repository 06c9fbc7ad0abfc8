import type { Command } from 'commander';
import { registerDev } from './dev-command';

/** `worker` and `dev`: long-running commands; their heavy modules load only when one of them runs. */
export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description('run a worker from the environment until SIGINT/SIGTERM (variables: docs/configuration.md)')
    .action(async () => (await import('../../worker/main')).runWorker());
  registerDev(program); // ./dev-command.ts: its flags
}
