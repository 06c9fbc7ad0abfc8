import { performance } from 'node:perf_hooks';
import { Client } from '@temporalio/client';
import { CancellationClient } from '../src/client/cancellation-client';
import { OrderFeed } from './lib/scenario';
import { fmt, summarize, type LatencySummary } from './lib/stats';
import type { Row, Section } from './lib/types';
import { benchQueue, cancelWorker, ceilingWorker } from './lib/worker';
import { ceilingAccept, ceilingOp } from './lib/ops';
import { WORKFLOWS } from './single';

const reason = { code: 'customer_request' as const };

export const ACCEPTED = 'requestCancellation → accepted (update-with-start)';
export const ACCEPTED_EAGER = 'requestCancellation → accepted, eager start (worker in process)';
export const ACCEPTED_OUTCOME = 'requestCancellation → accepted → outcome';
export const FULL = 'startCancellation → outcome (full --wait)';
export const CEILING_ACCEPTED = 'ceiling: update-with-start → accepted';
export const CEILING_FULL = 'ceiling: start → outcome';

/**
 * The early answer at one in flight: the three ways round-robin on fresh orders (so load drifts hit all alike), each
 * cancellation awaited to its outcome before the next starts (a saga's tail never overlaps the next answer).
 */
export const acceptedSection: Section = {
  name: 'accepted',
  title:
    'the early answer (`requestCancellation`, update `waitAccepted`) vs the full outcome, one in flight, round-robin ' +
    'on fresh Fungies orders; eager start through a client on the worker’s own connection',
  bundles: [WORKFLOWS],
  async run(ctx) {
    const tq = benchQueue('accepted');
    const worker = await cancelWorker(ctx, tq);
    // The same-shape ceiling (instant activities) in the same rounds: what the answer and the outcome cost at least.
    const ceilingTq = benchQueue('accepted-ceiling');
    const ceiling = await ceilingWorker(ctx, ceilingTq);
    const ceilingFull = ceilingOp(ctx, ceilingTq);
    const plain = new CancellationClient({ client: ctx.env.client, taskQueue: tq });
    const sameProcess = new Client({ connection: ctx.env.nativeConnection, namespace: ctx.env.namespace ?? 'default' });
    const eager = new CancellationClient({ client: sameProcess, taskQueue: tq, eagerStart: true });
    const samples = {
      [ACCEPTED]: [],
      [ACCEPTED_EAGER]: [],
      [ACCEPTED_OUTCOME]: [],
      [FULL]: [],
      [CEILING_ACCEPTED]: [],
      [CEILING_FULL]: [],
    } as Record<string, number[]>;
    const feed = new OrderFeed(ctx, 200);
    const { warmupCancels, sequentialCancels } = ctx.plan;
    const accept = async (client: CancellationClient, name: string, outcomeName?: string) => {
      const orderId = feed.next();
      const t0 = performance.now();
      const answer = await client.requestCancellation({ provider: 'fungies', orderId, reason });
      const tAnswer = performance.now();
      if (!answer.accepted) throw new Error(`${orderId}: ${answer.verdict}: ${answer.message}`);
      const result = await client.result(answer.workflowId);
      if (result.outcome !== 'CANCELLED') throw new Error(`${orderId}: ${result.outcome}: ${result.message}`);
      return [[name, tAnswer - t0], ...(outcomeName ? [[outcomeName, performance.now() - t0]] : [])] as [
        string,
        number,
      ][];
    };
    const full = async () => {
      const orderId = feed.next();
      const t0 = performance.now();
      const result = await (await plain.startCancellation({ provider: 'fungies', orderId, reason })).result();
      if (result.outcome !== 'CANCELLED') throw new Error(`${orderId}: ${result.outcome}: ${result.message}`);
      return [[FULL, performance.now() - t0]] as [string, number][];
    };
    const ceilingRound = async (): Promise<[string, number][]> => {
      const accepted = await ceilingAccept(ctx.env.client, ceilingTq, feed.next());
      const t0 = performance.now();
      await ceilingFull(feed.next());
      return [
        [CEILING_ACCEPTED, accepted],
        [CEILING_FULL, performance.now() - t0],
      ];
    };
    ctx.log(`accepted: ${warmupCancels} warm-up + ${sequentialCancels} rounds of 5, one in flight`);
    const rounds = async () => {
      for (let i = 0; i < warmupCancels + sequentialCancels; i++) {
        const round = [
          ...(await accept(plain, ACCEPTED, ACCEPTED_OUTCOME)),
          ...(await accept(eager, ACCEPTED_EAGER)),
          ...(await full()),
          ...(await ceilingRound()),
        ];
        if (i >= warmupCancels) for (const [name, ms] of round) samples[name].push(ms);
      }
    };
    await worker.runUntil(ceiling.runUntil(rounds));
    const summaries = Object.entries(samples).map(([name, s]) => [name, summarize(s)] as const);
    for (const [name, s] of summaries) ctx.log(`${name}: p50 ${fmt(s.p50)} / p95 ${fmt(s.p95)} ms`);
    ctx.details(detailsMarkdown(new Map(summaries)));
    return summaries.map(([name, s]) => row(name, s));
  },
};

const NOTES: Record<string, string> = {
  [ACCEPTED]: 'eligibility lookup + merchant hold, answered by the update',
  [ACCEPTED_EAGER]: 'the server refuses eager start inside update-with-start: eager start, then the update',
  [ACCEPTED_OUTCOME]: 'the same orders: request to outcome (the update’s cost on the full path)',
  [FULL]: 'start, then wait for the result (`start --wait`)',
  [CEILING_ACCEPTED]: 'same-shape ceiling, instant activities: update-with-start until the pivot starts',
  [CEILING_FULL]: 'same-shape ceiling, instant activities: start, then wait for the result',
};

function row(name: string, s: LatencySummary): Row {
  return { scenario: name, p50Ms: s.p50, p95Ms: s.p95, p99Ms: s.p99, note: `one in flight, n=${s.n}; ${NOTES[name]}` };
}

function detailsMarkdown(s: Map<string, LatencySummary>): string {
  const p50 = (name: string) => s.get(name)?.p50 ?? NaN;
  const share = ((p50(ACCEPTED) / p50(FULL)) * 100).toFixed(0);
  const eagerDelta = p50(ACCEPTED_EAGER) - p50(ACCEPTED);
  return [
    `The early answer comes at ${share} % of the full outcome's p50 (${fmt(p50(ACCEPTED))} vs ${fmt(p50(FULL))} ms).`,
    `The ceiling (same shape, instant activities) answers at ${fmt(p50(CEILING_ACCEPTED))} ms and ends at ` +
      `${fmt(p50(CEILING_FULL))} ms (p50).`,
    `Eager start changes the answer's p50 by ${eagerDelta >= 0 ? '+' : ''}${fmt(eagerDelta)} ms ` +
      `(${fmt(p50(ACCEPTED_EAGER))} ms: two calls, start then update, against update-with-start's one).`,
  ].join(' ');
}
