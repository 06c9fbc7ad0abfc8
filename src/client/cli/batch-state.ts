import { CANCELLED_OUTCOMES } from './render';

/**
 * The state of an ended batch from its orders' outcomes: `DONE` when every order ended cancelled, else `DONE` with
 * the orders that did not, by outcome (`DONE (1 rejected)`), so a batch with refused orders never reads as all done.
 */
export function batchDoneState(byOutcome: Readonly<Record<string, number>>): string {
  const parts = Object.entries(byOutcome)
    .filter(([o, n]) => n > 0 && !CANCELLED_OUTCOMES.includes(o))
    .map(([o, n]) => `${n} ${o.toLowerCase().replace(/_/g, ' ')}`);
  return parts.length ? `DONE (${parts.join(', ')})` : 'DONE';
}

/** Orders counted by outcome (those without one yet are left out). */
export function countOutcomes(outcomes: readonly (string | undefined)[]): Record<string, number> {
  const by: Record<string, number> = {};
  for (const o of outcomes) if (o) by[o] = (by[o] ?? 0) + 1;
  return by;
}
