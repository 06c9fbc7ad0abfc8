import {
  CancellationScope,
  condition,
  defineQuery,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  CancelOrderId,
  CancelProvider,
  CancelState,
  PROVIDER_TASK_QUEUES_PATCH,
  providerTaskQueue,
  type ProviderId,
  waitAcceptedUpdate,
  type AcceptedAnswer,
} from '../src/contract/lean';
import { PROVIDER_EVIDENCE_PATCH } from '../src/workflows/shared/evidence';
import { FINAL_STEPS_TOGETHER_PATCH } from '../src/workflows/cancel-order/finalize';
import type { CeilingActivities, CeilingInput } from './lib/ceiling-activities';

const retry = { maximumAttempts: 6, initialInterval: 1000, maximumInterval: 30_000, backoffCoefficient: 2 };
const acts = proxyActivities<CeilingActivities>({ startToCloseTimeout: '30s' });
const local = proxyLocalActivities<CeilingActivities>({ startToCloseTimeout: '30s' });
export const ceilingStatusQuery = defineQuery<string>('status');

/**
 * The happy path of cancelOrder for a paid order: the steps, the state each runs in, and the activity it calls; the
 * steps after the pivot (refund, restock, markCancelled) in one local activity, as cancelOrder runs them.
 */
const STEPS = [
  { step: 'eligibility', state: 'CHECKING_ELIGIBILITY', activity: 'prepareCancellation' },
  { step: 'hold', state: 'HOLDING', activity: 'merchantHook' },
  { step: 'cancel', state: 'CANCELLING_AT_PROVIDER', activity: 'cancelAtProvider' },
  { step: 'refund, restock, markCancelled', state: 'FINALIZING', activity: 'merchantSteps' },
] as const;

/** The steps that call the provider: regular activities on the provider's own queue, as in cancelOrder. */
const PROVIDER_STEPS: ReadonlySet<string> = new Set(['eligibility', 'cancel']);

/**
 * Same shape as cancelOrder on its happy path for a provider with a lookup — the lookup (`eligibility`) and the pivot
 * (`cancel`) regular activities on the provider's queue `<taskQueue>-<provider>`, the hold and the three steps after
 * the pivot (together) as two local activities, each with a summary and a retry policy; cancelOrder's three patch
 * markers; 4 state upserts (the start's attributes are not set again); current details kept up to date; no timers —
 * but every activity returns at once: the most this server and worker can do for that shape.
 * `input.variant` changes one ingredient at a time (diagnostics only); the bench checks the shape against cancelOrder's.
 */
export async function ceilingCancel(input: CeilingInput): Promise<{ outcome: 'CANCELLED'; steps: string[] }> {
  const v = input.variant ?? {};
  const wfId = workflowInfo().workflowId;
  const providerQueue = providerTaskQueue(workflowInfo().taskQueue, input.provider as ProviderId);
  // cancelOrder's patch markers (each with the TemporalChangeVersion upsert that comes with it), for the same shape.
  patched(PROVIDER_EVIDENCE_PATCH);
  patched(PROVIDER_TASK_QUEUES_PATCH);
  patched(FINAL_STEPS_TOGETHER_PATCH);
  let state = 'CHECKING_ELIGIBILITY';
  const done: string[] = [];
  const details = () => v.noDetails || setCurrentDetails(`**State:** \`${state}\`\n\n**Steps:** ${done.join(' · ')}`);
  const upsert = (attrs: Record<string, string[]>) => v.noUpserts || upsertSearchAttributes(attrs);
  setHandler(ceilingStatusQuery, () => state);
  // cancelOrder's early answer: accepted once eligible and held, as the pivot starts (no event unless asked).
  setHandler(waitAcceptedUpdate, async () => {
    await condition(() => done.includes('hold'));
    const answer: AcceptedAnswer = {
      verdict: 'ACCEPTED',
      accepted: true,
      state: 'CANCELLING_AT_PROVIDER',
      message: 'eligible and held',
      runId: workflowInfo().runId,
    };
    return answer;
  });
  // The start set CancelProvider, CancelOrderId and CancelState; cancelOrder upserts them only when it did not.
  const started = workflowInfo().typedSearchAttributes;
  if (started.get(CancelProvider) !== input.provider || started.get(CancelOrderId) !== input.orderId) {
    upsert({
      [CancelProvider.name]: [input.provider],
      [CancelOrderId.name]: [input.orderId],
      [CancelState.name]: [state],
    });
  }
  details();
  for (const { step, state: next, activity } of STEPS) {
    if (next !== state) {
      state = next;
      upsert({ [CancelState.name]: [state] });
    }
    details();
    const one = { step, workflowId: wfId, key: `${wfId}/${step}`, orderId: input.orderId, provider: input.provider };
    const call = activity === 'merchantSteps' ? step.split(', ').map((s) => ({ ...one, step: s })) : one;
    const summary = `${step} of ${input.provider} ${input.orderId}`;
    const options = { summary, retry, startToCloseTimeout: 30_000 };
    const onProvider = PROVIDER_STEPS.has(step);
    const asLocal = v.activities === 'all-local' || (v.activities !== 'all-regular' && !onProvider);
    // Each step in its own cancellation scope, as cancelOrder's runStep does.
    await new CancellationScope().run((): Promise<unknown> =>
      asLocal
        ? local[activity].executeWithOptions({ ...options, localRetryThreshold: '10s' }, [call as never])
        : acts[activity].executeWithOptions(onProvider ? { ...options, taskQueue: providerQueue } : options, [
            call as never,
          ]),
    );
    done.push(step);
    details();
  }
  state = 'CANCELLED';
  upsert({ [CancelState.name]: [state] });
  details();
  return { outcome: 'CANCELLED', steps: done };
}
