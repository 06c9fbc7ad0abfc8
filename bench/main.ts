import os from 'node:os';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startTracing } from '../src/tracing';
import { metricsTelemetry } from '../src/worker/telemetry';
import { startBenchStack } from './lib/stack';
import { consoleTable, machineLines, report } from './lib/report';
import { writeReport } from './lib/write-report';
import type { BenchContext, BenchPlan, Row, Section } from './lib/types';
import { ablations } from './lib/ablations';
import { SINGLE_SECTIONS } from './single';
import { BULK_SECTIONS } from './bulk';
import { WORKER_SECTIONS } from './worker';
import { RATIO_SECTIONS } from './ratio';
import { prioritySection } from './priority';
import { providersSection } from './providers';
import { acceptedSection } from './accepted';
import { BULK_VS_SCRIPT_SECTIONS } from './bulk100k';

/**
 * The sections, run in this order. A section is `{ name, title, run(ctx): Promise<Row[]> }` (bench/lib/types.ts):
 * it gets the shared dev server, sandbox, bundles and fresh seeded orders from `ctx`, and returns table rows.
 * To add one (e.g. bench/bulk.ts exporting `bulkSection`), import it and append it here.
 */
const SECTIONS: Section[] = [
  ...SINGLE_SECTIONS,
  acceptedSection,
  ...RATIO_SECTIONS,
  ...WORKER_SECTIONS,
  ablations,
  ...BULK_SECTIONS,
  ...BULK_VS_SCRIPT_SECTIONS,
  providersSection,
  prioritySection,
];

const FULL: BenchPlan = {
  quick: false,
  warmupCancels: 20,
  sequentialCancels: 200,
  concurrency: 200,
  throughputWarmupMs: 5_000,
  throughputMs: 60_000,
  drainMs: 5_000,
};
const QUICK: BenchPlan = {
  quick: true,
  warmupCancels: 2,
  sequentialCancels: 10,
  concurrency: 20,
  throughputWarmupMs: 1_000,
  throughputMs: 3_000,
  drainMs: 1_000,
};

const USAGE = `usage: npm run bench -- [--quick] [--only NAME[,NAME]] [--out FILE] [--address HOST:PORT]
  --quick      short runs (smoke check, about a minute)
  --only NAME  run only these sections (${SECTIONS.map((s) => s.name + (s.optIn ? ' [opt-in]' : '')).join(', ')})
  --out FILE   where to write the report (default: BENCHMARKS.md for a full run, a temp file otherwise)
  --address    run against this existing server (namespace TEMPORAL_NAMESPACE) instead of a dev server`;

function parseArgs(argv: string[]): { plan: BenchPlan; only?: string[]; out?: string; address?: string } {
  let plan = FULL;
  let only: string[] | undefined;
  let out: string | undefined;
  let address: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') plan = QUICK;
    else if (a === '--only' && argv[i + 1]) only = argv[++i].split(',').map((s) => s.trim());
    else if (a === '--out' && argv[i + 1]) out = argv[++i];
    else if (a === '--address' && argv[i + 1]) address = argv[++i];
    else throw new Error(`unknown argument ${a}\n${USAGE}`);
  }
  const unknown = only?.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown?.length) throw new Error(`unknown section ${unknown.join(', ')}\n${USAGE}`);
  if (address !== undefined && !/^[^\s:]+:\d+$/.test(address)) {
    throw new Error(`--address: expected host:port\n${USAGE}`);
  }
  return { plan, only, out, address };
}

async function main(): Promise<void> {
  const { plan, only, out, address } = parseArgs(process.argv.slice(2));
  const sections = only ? SECTIONS.filter((s) => only.includes(s.name)) : SECTIONS.filter((s) => !s.optIn);
  // Errors only: ending the workflows a closed loop leaves in flight makes the worker warn once per workflow.
  // METRICS_BIND_ADDRESS / OTEL_EXPORTER_OTLP_ENDPOINT turn metrics / tracing on, to measure what they cost.
  const metrics = process.env.METRICS_BIND_ADDRESS;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: metrics ? metricsTelemetry(metrics) : undefined,
  });
  const tracing = startTracing(process.env, 'order-cancellation-bench');
  const started = new Date();
  const log = (m: string) =>
    console.log(`[bench ${((Date.now() - started.getTime()) / 1000).toFixed(0).padStart(3)}s] ${m}`);
  const loadAtStart = os.loadavg();
  log(
    address
      ? `using the server at ${address}; starting the sandbox`
      : 'starting the Temporal dev server and the sandbox',
  );
  const stack = await startBenchStack({ address });
  const machine = machineLines(stack.cliVersion, loadAtStart);
  machine.push(`- Prometheus metrics: ${metrics ? 'on' : 'off'}; tracing (OTLP): ${tracing.enabled ? 'on' : 'off'}`);
  // Bundling takes seconds of CPU each; start them all now rather than inside a section's timing.
  for (const p of new Set(sections.flatMap((s) => s.bundles ?? []))) void stack.bundle(p).catch(() => undefined);
  const rows: Row[] = [];
  const details: string[] = [];
  const failed: string[] = [];
  try {
    for (const section of sections) {
      log(`section ${section.name}: ${section.title}`);
      const notes: string[] = [];
      const ctx: BenchContext = {
        plan,
        env: stack.env,
        sandbox: stack.sandbox,
        bundle: stack.bundle,
        freshOrders: stack.freshOrders,
        serverPid: stack.serverPid,
        details: (md) => notes.push(md),
        log,
      };
      try {
        rows.push(...(await section.run(ctx)));
      } catch (err) {
        // One broken section must not cost the others their results; the run still exits non-zero.
        failed.push(section.name);
        notes.push(`**This section failed:** ${err instanceof Error ? err.message : String(err)}`);
        log(`section ${section.name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      }
      // What the simulators kept for this section is not needed by the next one.
      stack.sandbox.reset();
      details.push(`### ${section.name}\n\n${section.title}.\n\n${notes.join('\n\n')}`.trim());
    }
  } finally {
    log('stopping worker, sandbox and dev server');
    await stack.stop();
    await tracing.shutdown();
  }
  console.log('\n' + consoleTable(rows) + '\n');
  const findings = [...new Set(sections.map((s) => s.findings))].map((f) => f?.() ?? '').filter(Boolean);
  const full = !plan.quick && !only && !address; // BENCHMARKS.md holds the dev-server run
  const file =
    out ?? (full ? path.join(__dirname, '..', 'BENCHMARKS.md') : path.join(os.tmpdir(), `bench-${process.pid}.md`));
  machine.push(
    `- Load average when the run ended: ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' / ')}`,
  );
  const tookS = Math.round((Date.now() - started.getTime()) / 1000);
  await writeReport(
    file,
    report({ rows, details, findings, machine, started, tookS, plan, args: process.argv.slice(2) }),
  );
  log(`report written to ${file}${full || out ? '' : ' (BENCHMARKS.md is only rewritten by a full run)'}`);
  if (failed.length) throw new Error(`section(s) failed: ${failed.join(', ')}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
