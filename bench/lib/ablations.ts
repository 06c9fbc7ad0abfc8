import { cancelWorkflowId } from '../../src/contract';
import { CEILING_WORKFLOW, WORKFLOWS, withWorker } from '../single';
import type { CeilingInput } from './ceiling-activities';
import { findings } from './findings';
import { ABLATION_BASE, ABLATION_CANCEL, ALL_LOCAL, ALL_REGULAR, EAGER_START, NO_DETAILS, NO_IO, NO_UPSERTS } from './names';
import { cancelOp, ceilingOp, ceilingWorkflowId } from './ops';
import type { Row, Section } from './types';
import { benchQueue, cancelWorker, ceilingWorker, instantCancelWorker } from './worker';

const VARIANTS: { name: string; variant?: CeilingInput['variant']; eager?: boolean }[] = [
  { name: ABLATION_BASE },
  { name: EAGER_START, eager: true },
  { name: NO_UPSERTS, variant: { noUpserts: true } },
  { name: NO_DETAILS, variant: { noDetails: true } },
  { name: ALL_REGULAR, variant: { activities: 'all-regular' } },
  { name: ALL_LOCAL, variant: { activities: 'all-local' } },
];
// A batch, all awaited, gives exact CPU per run; a 20 s closed-loop window at 200 in flight is mostly transient.
const SHAPE = { sequential: 30, batch: { n: 400, concurrency: 50 } };

/** Opt-in (`--only ablations`): one ingredient of the shape removed at a time, and cancelOrder with and without HTTP. */
export const ablations: Section = {
  name: 'ablations',
  title:
    'the ceiling workflow with one ingredient of its shape removed at a time, and cancelOrder with its real adapter ' +
    'and hooks and with instant ones; 30 sequential, then a batch of 400 runs 50 at a time (CPU per run exact)',
  optIn: true,
  bundles: [CEILING_WORKFLOW, WORKFLOWS],
  async run(ctx) {
    const rows: Row[] = [];
    for (const { name, variant, eager } of VARIANTS) {
      const tq = benchQueue('ablation');
      const spec = { name, op: ceilingOp(ctx, tq, variant, eager), workflowIdOf: ceilingWorkflowId, ...SHAPE };
      rows.push(await withWorker(await ceilingWorker(ctx, tq), ctx, spec, { compareTo: ABLATION_BASE }));
    }
    const workflowIdOf = (id: string) => cancelWorkflowId('fungies', id);
    for (const [name, make] of [
      [NO_IO, instantCancelWorker],
      [ABLATION_CANCEL, cancelWorker],
    ] as const) {
      const tq = benchQueue('ablation-cancel');
      const spec = { name, op: cancelOp(ctx, tq), workflowIdOf, ...SHAPE };
      rows.push(await withWorker(await make(ctx, tq), ctx, spec, { compareTo: ABLATION_BASE }));
    }
    return rows;
  },
  findings,
};
