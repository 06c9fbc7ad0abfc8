import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { SandboxStack } from '../../src/sandbox/stack';

/** One line of the results table. Latencies in ms, throughput in completed operations per second. */
export interface Row {
  scenario: string;
  p50Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  opsPerSec?: number;
  /** Scenario name of the row this one's throughput is divided by (the "vs ceiling" column). */
  compareTo?: string;
  note?: string;
  /** Extra figures (CPU, memory, history shape); main.ts prints them as a second table. */
  diagnostics?: Record<string, string>;
}

/** Durations and sizes of one run; `--quick` shrinks them for a smoke check. */
export interface BenchPlan {
  quick: boolean;
  warmupCancels: number;
  sequentialCancels: number;
  concurrency: number;
  throughputWarmupMs: number;
  throughputMs: number;
  /** After the window, how long operations still in flight may take before they are left behind. */
  drainMs: number;
}

/** What every section gets: the shared dev server and sandbox, the plan, and a place for extra report text. */
export interface BenchContext {
  plan: BenchPlan;
  env: TestWorkflowEnvironment;
  sandbox: SandboxStack;
  /** Workflow bundle of a module, built once per run (bundling takes seconds). */
  bundle(workflowsPath: string): Promise<WorkflowBundleWithSourceMap>;
  /** Fresh order ids, already seeded in the Fungies simulator (cancellable, paid). */
  freshOrders(n: number): string[];
  /** Pid of the dev server process, when it could be found (for CPU and memory figures). */
  serverPid?: number;
  /** Markdown added to BENCHMARKS.md under the section's heading. */
  details(markdown: string): void;
  log(message: string): void;
}

/**
 * A bench section. main.ts runs every section of its `SECTIONS` list in order (or those `--only NAME` picks);
 * adding e.g. `bench/bulk.ts` is one import and one list entry there.
 */
export interface Section {
  name: string;
  /** One line for BENCHMARKS.md: what this section measures. */
  title: string;
  /** Left out of a plain run; runs only when named by `--only`. */
  optIn?: boolean;
  /** Workflow modules the section bundles (main.ts starts bundling them all at start-up, in parallel). */
  bundles?: string[];
  run(ctx: BenchContext): Promise<Row[]>;
  /** Markdown for the report's Findings, called once every selected section has run. */
  findings?(): string;
}
