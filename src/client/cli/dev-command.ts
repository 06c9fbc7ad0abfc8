import { InvalidArgumentError, type Command } from 'commander';
import { DEV_PORT_OPTIONS, devEnvSchema, parsePortOption, type DevFlags, type DevPortName } from '../../config/dev';

/** A port flag's parser: commander prints its one-line error (exit 2) for a bad value. */
function portArg(value: string): number {
  try {
    return parsePortOption(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** `dev` (= `npm start`): every port and the data folder by flag, each with its DEV_* variable and default. */
export function registerDev(program: Command): void {
  const cmd = program
    .command('dev')
    .description(
      'the embedded default: local Temporal + provider simulators + a worker, with demo orders; ' +
        'a flag wins over its variable',
    );
  for (const [name, o] of Object.entries(DEV_PORT_OPTIONS) as [DevPortName, (typeof DEV_PORT_OPTIONS)['ui']][]) {
    const fallback = devEnvSchema.shape[o.env].parse(undefined) as number;
    const extra =
      name === 'sandbox'
        ? '; the other simulators and the merchant receiver take the next ports'
        : name === 'metrics'
          ? '; METRICS_BIND_ADDRESS wins'
          : '';
    cmd.option(`${o.flag} <port>`, `${o.what} port (env ${o.env}, default ${fallback}${extra})`, portArg);
  }
  cmd
    .option(
      '--data-dir <dir>',
      "dev database, dev payload key, server log and stack.json (env DEV_DATA_DIR, default the repository's .temporal/)",
    )
    .option('--db-file <path>', 'where the dev server keeps its data (default <data dir>/dev.db)')
    .action(async (opts: DevFlags & { dbFile?: string }) => (await import('./dev')).runDev(opts));
}
