import type { Worker } from '@temporalio/worker';
import { cancelWorkflowId } from '../src/contract';
import { createDirectCanceller } from './direct';
import { findings } from './lib/findings';
import { CANCEL_SHAPE } from './lib/history';
import { CANCEL, CEILING, DIRECT } from './lib/names';
import { cancelOp, ceilingOp, ceilingWorkflowId } from './lib/ops';
import { toRow } from './lib/rows';
import { runScenario, type ScenarioSpec } from './lib/scenario';
import type { BenchContext, Row, Section } from './lib/types';
import { benchQueue, cancelWorker, ceilingWorker, WORKER_SETTINGS, WORKER_SETTINGS_WHY } from './lib/worker';

export const WORKFLOWS = require.resolve('../src/workflows');
export const CEILING_WORKFLOW = require.resolve('./ceiling-workflow');

/** Run the scenario while the worker polls; the worker drains and stops afterwards. */
export async function withWorker(
  worker: Worker,
  ctx: BenchContext,
  spec: ScenarioSpec,
  extra?: Partial<Row>,
): Promise<Row> {
  return toRow(spec.name, await worker.runUntil(runScenario(ctx, spec)), extra);
}

const cancel: Section = {
  name: 'cancel',
  title:
    'cancelOrder end to end: client start → result; Fungies simulator and merchant webhook receiver over loopback HTTP',
  bundles: [WORKFLOWS],
  async run(ctx) {
    const tq = benchQueue('cancel');
    const spec = {
      name: CANCEL,
      op: cancelOp(ctx, tq),
      workflowIdOf: (id: string) => cancelWorkflowId('fungies', id),
      expectShape: CANCEL_SHAPE,
    };
    ctx.details(workerSettingsMarkdown());
    return [await withWorker(await cancelWorker(ctx, tq), ctx, spec, { compareTo: CEILING })];
  },
  findings,
};

const ceiling: Section = {
  name: 'ceiling',
  title: "ceilingCancel (bench/ceiling-workflow.ts): cancelOrder's happy-path shape, activities that answer at once",
  bundles: [CEILING_WORKFLOW],
  async run(ctx) {
    const tq = benchQueue('ceiling');
    const spec = { name: CEILING, op: ceilingOp(ctx, tq), workflowIdOf: ceilingWorkflowId };
    return [await withWorker(await ceilingWorker(ctx, tq), ctx, spec)];
  },
};

const direct: Section = {
  name: 'direct',
  title:
    'bench/direct.ts: the same adapter and webhook calls from a plain async function (simple retries, no durability)',
  async run(ctx) {
    const cancelOne = createDirectCanceller(ctx.sandbox.env);
    const op: ScenarioSpec['op'] = async (orderId) => {
      const outcome = await cancelOne(orderId);
      if (outcome !== 'CANCELLED') throw new Error(`${orderId}: ${outcome}`);
    };
    // Far above the others and steady: half the window keeps the whole run under 6 minutes.
    const throughputMs = Math.min(30_000, ctx.plan.throughputMs);
    const r = await runScenario(ctx, { name: DIRECT, op, throughputMs });
    return [toRow(DIRECT, r, { note: `no Temporal, no durability; ${throughputMs / 1000} s window` })];
  },
};

function workerSettingsMarkdown(): string {
  const keys = Object.keys(WORKER_SETTINGS) as (keyof typeof WORKER_SETTINGS)[];
  const lines = keys.map((k) => `| \`${k}\` | ${WORKER_SETTINGS[k]} | ${WORKER_SETTINGS_WHY[k]} |`);
  return ['Worker settings (every Temporal scenario):', '', '| option | value | why |', '|---|---|---|', ...lines].join(
    '\n',
  );
}

/** cancelOrder, its same-shape ceiling and the plain-script baseline, in that order. */
export const SINGLE_SECTIONS: Section[] = [cancel, ceiling, direct];
