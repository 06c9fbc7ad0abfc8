import { Command } from 'commander';
import { startSandbox } from './stack';

/** `npm run sandbox`: the five provider simulators and the merchant receiver, standalone, for manual testing. */
async function main(): Promise<void> {
  const opts = new Command('sandbox')
    .description('Start the provider simulators and the merchant webhook receiver on loopback')
    .option('--port-base <n>', 'first port (providers take the next five, merchant the sixth)', '9100')
    .option('--latency <ms>', 'latency added to every provider answer', '0')
    .parse()
    .opts<{ portBase: string; latency: string }>();
  const base = Number(opts.portBase);
  if (!Number.isInteger(base) || base < 1 || base > 65_000) throw new Error('--port-base: must be a port number');
  const stack = await startSandbox({
    latencyMs: Number(opts.latency) || 0,
    ports: {
      evitalrx: base,
      fincart: base + 1,
      fastpod: base + 2,
      fungies: base + 3,
      ecom: base + 4,
      merchant: base + 5,
    },
  });
  console.log('# Sandbox running. Point a worker at it with:');
  for (const [k, v] of Object.entries(stack.env)) console.log(`export ${k}='${v}'`);
  console.log('# Seed orders / inject faults per simulator, e.g.:');
  console.log(`#   curl -X POST ${stack.fungies.url}/__sandbox/orders -d '[{"id":"o-1","status":"PAID"}]'`);
  console.log(`#   curl -X POST ${stack.fungies.url}/__sandbox/faults -d '{"orderId":"o-1","status":503,"times":5}'`);
  const stop = () => void stack.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(`error: ${(err as Error).message}`);
  process.exit(1);
});
