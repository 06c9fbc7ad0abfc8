import type { Command } from 'commander';
import { CliError, EXIT, println } from './context';

/** `codec-server [--port N]`: decrypt payloads for the Web UI and `temporal --codec-endpoint` (docs/operations.md). */
export function registerCodecServer(program: Command): void {
  program
    .command('codec-server')
    .description('serve the codec-server protocol (POST /encode, /decode) with PAYLOAD_ENCRYPTION_KEYS')
    .option('--port <n>', 'port to listen on', '8888')
    .option('--host <address>', 'address to listen on (default loopback)', '127.0.0.1')
    .action((opts: { port: string; host: string }) => run(opts));
}

async function run(opts: { port: string; host: string }): Promise<void> {
  const port = Number(opts.port);
  if (!/^\d+$/.test(opts.port) || port < 1 || port > 65535) {
    throw new CliError('--port must be a whole number from 1 to 65535', EXIT.USAGE);
  }
  const { loadCodecServerEnv } = await import('../../config/codec-server');
  const { startCodecServer } = await import('../../codec/server');
  const env = loadCodecServerEnv();
  const server = await startCodecServer(env, { port, host: opts.host }).catch((err: NodeJS.ErrnoException) => {
    throw err.code === 'EADDRINUSE' ? new CliError(`port ${port} is already in use: choose another with --port`) : err;
  });
  println(
    `codec server on ${server.url} (keys: ${env.keys.map((k) => k.id).join(', ')}; ` +
      `CORS: ${env.corsOrigins.join(', ')}; bearer token ${env.token ? 'required' : 'not required'})`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
}
