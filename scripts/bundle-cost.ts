import { execFileSync } from 'node:child_process';
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

/**
 * What the workflow bundle costs per workflow run: its size, whether zod is in it, and the CPU of replaying a recorded
 * cancelOrder history (each replay is a fresh workflow run, which initialises the bundle's modules again) with the
 * production bundle and with variants that leave modules out or add them back. Rounds alternate the variants so that
 * other load on the machine hits them alike; the median of the rounds is shown.
 *
 * Usage: `npm run bundle:cost -- [--runs N] [--rounds N] [--before REV]` (REV: a git revision whose src/ is bundled as
 * one more variant, e.g. the commit before a change, for a before/after on the same machine at the same time).
 */
const ROOT = path.join(__dirname, '..');
const HISTORY = path.join(ROOT, 'test', 'fixtures', 'histories', 'cancel_fungies_replay-paid.json');

interface Variant {
  name: string;
  /** Source tree (default: this checkout's src/). */
  srcDir?: string;
  /** Entry module text; `SRC` stands for the source tree. Default: SRC/workflows with the metrics interceptor. */
  entry?: string;
}

const VARIANTS: Variant[] = [
  { name: 'production bundle (src/workflows, metrics interceptor)' },
  {
    name: 'cancelOrder only (no bulk, no Fincart batch)',
    entry: `export { cancelOrder } from 'SRC/workflows/cancel-order';`,
  },
  {
    name: 'cancelOrder only + the zod contract (src/contract, schemas built at module load)',
    entry: `import 'SRC/contract';\nexport { cancelOrder } from 'SRC/workflows/cancel-order';`,
  },
];

const noop = () => undefined;
const quiet = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

function parseArgs(argv: string[]): { runs: number; rounds: number; before?: string } {
  const out: { runs: number; rounds: number; before?: string } = { runs: 200, rounds: 3 };
  for (let i = 0; i < argv.length; i++) {
    const [a, v] = [argv[i], argv[i + 1]];
    if (a === '--runs' && v) out.runs = Number(argv[++i]);
    else if (a === '--rounds' && v) out.rounds = Number(argv[++i]);
    else if (a === '--before' && v) out.before = argv[++i];
    else throw new Error(`unknown argument ${a}; usage: bundle-cost [--runs N] [--rounds N] [--before REV]`);
  }
  if (!(out.runs > 0 && out.rounds > 0)) throw new Error('--runs and --rounds must be positive numbers');
  return out;
}

async function bundle(v: Variant, dir: string, i: number): Promise<WorkflowBundleWithSourceMap> {
  const src = (v.srcDir ?? path.join(ROOT, 'src')).replace(/\\/g, '/');
  let workflowsPath = path.join(src, 'workflows', 'index.ts');
  if (v.entry) {
    workflowsPath = path.join(dir, `variant-${i}.ts`);
    writeFileSync(workflowsPath, v.entry.replace(/SRC/g, src));
  }
  return bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [path.join(src, 'workflows', 'metrics-interceptor.ts')],
    logger: quiet,
  });
}

/** CPU (ms) per replay of the history, over `runs` replays after a warm-up of 20. */
async function replayCpuMs(b: WorkflowBundleWithSourceMap, runs: number): Promise<number> {
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(HISTORY, 'utf8')));
  const replay = async (n: number) => {
    const many = Array.from({ length: n }, (_, k) => ({ workflowId: `cost-${k}`, history }));
    for await (const r of Worker.runReplayHistories({ workflowBundle: b }, many)) if (r.error) throw r.error;
  };
  await replay(20);
  const c0 = process.cpuUsage();
  await replay(runs);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / runs;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const { runs, rounds, before } = parseArgs(process.argv.slice(2));
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  // Inside the repo (lib/ is ignored), so every variant resolves @temporalio/* and zod from its node_modules.
  mkdirSync(path.join(ROOT, 'lib'), { recursive: true });
  const dir = mkdtempSync(path.join(ROOT, 'lib', 'bundle-cost-'));
  const variants = [...VARIANTS];
  try {
    if (before) {
      const srcDir = path.join(dir, 'before');
      mkdirSync(srcDir);
      const tar = execFileSync('git', ['archive', before, 'src'], { cwd: ROOT, maxBuffer: 1 << 28 });
      execFileSync('tar', ['-x', '-C', srcDir], { input: tar });
      variants.push({ name: `production bundle at ${before}`, srcDir: path.join(srcDir, 'src') });
    }
    const bundles = [];
    for (const [i, v] of variants.entries()) bundles.push(await bundle(v, dir, i));
    const samples = variants.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (const [i, b] of bundles.entries()) samples[i].push(await replayCpuMs(b, runs));
      console.error(`round ${r + 1}/${rounds}: ${samples.map((s) => s[r].toFixed(1)).join(' / ')} ms`);
    }
    console.log(`| bundle | size | zod in it | CPU per run (median of ${rounds} × ${runs} replays; all rounds) |`);
    console.log('| --- | --- | --- | --- |');
    for (const [i, v] of variants.entries()) {
      const b = bundles[i];
      const zod = /node_modules\/zod\//.test(b.code) ? 'yes' : 'no';
      const all = samples[i].map((x) => x.toFixed(1)).join(', ');
      console.log(
        `| ${v.name} | ${Math.round(b.code.length / 1024)} KiB | ${zod} | ${median(samples[i]).toFixed(1)} ms (${all}) |`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(`error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
});
