import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import {
  bundleWorkflowCode,
  DefaultLogger,
  Runtime,
  Worker,
  type WorkflowBundleWithSourceMap,
} from '@temporalio/worker';
import { workflowInterceptorModules } from '../src/worker/create-worker';

/**
 * What the workflow bundle costs per run: its size, whether zod is in it, and the worker CPU of replaying one recorded
 * cancelOrder history (a fresh workflow run each time, so every run initialises the bundle's modules again) with the
 * production bundle and with variants that leave modules out or add them back. Usage: `npm run bundle:cost [-- runs]`.
 */
const ROOT = path.join(__dirname, '..');
const HISTORY = path.join(ROOT, 'test', 'fixtures', 'histories', 'cancel_fungies_replay-paid.json');
const src = (p: string) => path.join(ROOT, 'src', p).replace(/\\/g, '/');

/** Entry modules of the variants, written to a temp dir; each exports `cancelOrder` so the history replays. */
const VARIANTS: { name: string; entry?: string }[] = [
  { name: 'production bundle (src/workflows, metrics interceptor)' },
  {
    name: 'cancelOrder only (no bulk, no Fincart batch)',
    entry: `export { cancelOrder } from '${src('workflows/cancel-order')}';`,
  },
  {
    name: 'cancelOrder only + the zod contract (src/contract: schemas built at module load)',
    entry: `import '${src('contract')}';\nexport { cancelOrder } from '${src('workflows/cancel-order')}';`,
  },
];

const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

async function bundle(entry: string | undefined, dir: string, i: number): Promise<WorkflowBundleWithSourceMap> {
  let workflowsPath = require.resolve('../src/workflows');
  if (entry) {
    workflowsPath = path.join(dir, `variant-${i}.ts`);
    writeFileSync(workflowsPath, entry);
  }
  return bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: workflowInterceptorModules(false),
    logger: quiet,
  });
}

/** Worker CPU (ms) per replay of the history, over `runs` replays after a warm-up of 20. */
async function replayCpuMs(b: WorkflowBundleWithSourceMap, runs: number): Promise<number> {
  const json = JSON.parse(readFileSync(HISTORY, 'utf8'));
  const history = temporal.api.history.v1.History.fromObject(json);
  const many = (n: number) => Array.from({ length: n }, (_, k) => ({ workflowId: `cost-${k}`, history }));
  const replay = async (n: number) => {
    for await (const r of Worker.runReplayHistories({ workflowBundle: b }, many(n))) {
      if (r.error) throw r.error;
    }
  };
  await replay(20);
  const c0 = process.cpuUsage();
  await replay(runs);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / runs;
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 300);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  // Inside the repo, so the variants resolve @temporalio/* from its node_modules.
  mkdirSync(path.join(ROOT, 'node_modules', '.cache'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'bundle-cost-'));
  try {
    console.log(`| bundle | size | zod in it | worker CPU per run (replay of a paid Fungies cancel, ${runs} runs) |`);
    console.log('| --- | --- | --- | --- |');
    for (const [i, v] of VARIANTS.entries()) {
      const b = await bundle(v.entry, dir, i);
      const zod = /node_modules\/zod\//.test(b.code) ? 'yes' : 'no';
      const ms = await replayCpuMs(b, runs);
      console.log(`| ${v.name} | ${Math.round(b.code.length / 1024)} KiB | ${zod} | ${ms.toFixed(1)} ms |`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
