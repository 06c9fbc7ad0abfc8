import { Command } from 'commander';
import { sandboxPorts, startSandbox } from './stack';

/** `npm run sandbox`: every provider's simulator and the merchant receiver, standalone, for manual testing. */
async function main(): Promise<void> {
  const opts = new Command('sandbox')
    .description('Start the provider simulators and the merchant webhook receiver on loopback')
    .option(
      '--port-base <n>',
      'first port (the merchant receiver takes base+5, the providers the others from base on)',
      '9100',
    )
    .option('--latency <ms>', 'latency added to every provider answer', '0')
    .parse()
    .opts<{ portBase: string; latency: string }>();
  const base = Number(opts.portBase);
  if (!Number.isInteger(base) || base < 1 || base > 65_000) throw new Error('--port-base: must be a port number');
  const stack = await startSandbox({
    latencyMs: Number(opts.latency) || 0,
    ports: sandboxPorts(base),
  });
  console.log('# Sandbox running. Point a worker at it with:');
  for (const [k, v] of Object.entries(stack.env)) console.log(`export ${k}='${v}'`);
  console.log('# Seed orders / inject faults per simulator, e.g.:');
  for (const [id, sim] of Object.entries(stack.sims)) console.log(`#   ${id}: ${sim.url}`);
  console.log(`#   curl -X POST <url>/__sandbox/orders -d '[{"id":"o-1","status":"PAID"}]'`);
  console.log(`#   curl -X POST <url>/__sandbox/faults -d '{"orderId":"o-1","status":503,"times":5}'`);
  const stop = () => void stack.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`error: ${(err as Error).message}`);
  process.exit(1);
});
