// The saga's steps, in one table: the step names (model, result schemas), the merchant steps and their events
// (events.ts) and the steps after the pivot all derive from it. Pure data: the workflows read it through contract/lean.

/** What one saga step is. */
interface StepSpec {
  /** Who is called: the provider (eligibility, cancel) or the merchant (through the hooks port). */
  side: 'provider' | 'merchant';
  /** The merchant event the step sends (`notify` names its own: an outcome's, or needs_attention). */
  event?: string;
  /** A step after the pivot, run forward only (never undone), in this table's order. */
  final?: true;
  /** The step this one undoes (a compensation). */
  undoes?: string;
}

/** Every step, in the order the status and the schemas list them. */
export const STEPS = {
  eligibility: { side: 'provider' },
  hold: { side: 'merchant', event: 'cancellation.hold_requested' },
  cancel: { side: 'provider' },
  refund: { side: 'merchant', event: 'cancellation.refund_requested', final: true },
  restock: { side: 'merchant', event: 'cancellation.restock_requested', final: true },
  markCancelled: { side: 'merchant', event: 'cancellation.completed', final: true },
  releaseHold: { side: 'merchant', event: 'cancellation.hold_released', undoes: 'hold' },
  notify: { side: 'merchant' },
} as const satisfies Record<string, StepSpec>;

type Steps = typeof STEPS;
export type StepName = keyof Steps;
/** The merchant-side steps (the merchant port's steps). */
export type HookStep = { [K in StepName]: Steps[K]['side'] extends 'merchant' ? K : never }[StepName];
/** The steps after the pivot. */
export type FinalStep = { [K in StepName]: Steps[K] extends { final: true } ? K : never }[StepName];
/** The merchant steps that send a fixed event. */
export type EventStep = { [K in StepName]: Steps[K] extends { event: string } ? K : never }[StepName];
/** The event a step sends, as the table spells it. */
export type StepEvent<K extends EventStep> = Steps[K] extends { event: infer E } ? E : never;

const entries = Object.entries(STEPS) as [StepName, StepSpec][];

/** Step names, in the table's order. */
export const STEP_NAMES = entries.map(([name]) => name) as unknown as readonly [StepName, ...StepName[]];
/** The merchant-side steps, in the table's order. */
export const HOOK_STEPS = entries.filter(([, s]) => s.side === 'merchant').map(([n]) => n) as readonly HookStep[];
/** The steps after the pivot, in the order an order runs them. */
export const FINAL_STEPS = entries.filter(([, s]) => s.final).map(([n]) => n) as readonly FinalStep[];
/** Step → the event it sends. */
export const STEP_EVENTS = Object.fromEntries(entries.flatMap(([n, s]) => (s.event ? [[n, s.event]] : []))) as {
  [K in EventStep]: StepEvent<K>;
};
