import { Command, CommanderError } from 'commander';
import { registerBulk } from './bulk';
import { registerCodecServer } from './codec-server';
import { CliError, EXIT, oneLine } from './context';
import { registerList } from './list';
import { registerProviders } from './providers';
import { registerStart } from './start';
import { registerStatus } from './status';
import { registerSteer } from './steer';
import { registerWorker } from './worker';

/** The `cancel-orders` program; each command group registers itself from its own file. */
export function buildProgram(): Command {
  const program = new Command('cancel-orders')
    .description('start, watch and steer order cancellations on Temporal')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.trim().split('\n')[0] + '\n') });
  registerStart(program);
  registerBulk(program); // the bulk command lives in ./bulk.ts (owned by the bulk engineer)
  registerStatus(program);
  registerSteer(program);
  registerList(program);
  registerProviders(program);
  registerWorker(program); // worker + dev
  registerCodecServer(program);
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}

/** Run the CLI; sets process.exitCode (0 done, 1 error, 2 usage, 3 the order did not end cancelled). */
export async function main(argv: string[] = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return (process.exitCode = EXIT.OK);
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its one line (or the help); --help and --version are not failures.
      const ok = err.exitCode === 0;
      return (process.exitCode = ok ? EXIT.OK : EXIT.USAGE);
    }
    process.stderr.write(`error: ${oneLine(err)}\n`);
    const code = err instanceof CliError ? err.exitCode : EXIT.ERROR;
    return (process.exitCode = code);
  }
}

if (require.main === module) {
  void main();
}
