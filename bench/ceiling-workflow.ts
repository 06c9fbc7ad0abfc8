import {
  CancellationScope,
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
} from '../src/contract/lean';
import type { CeilingActivities, CeilingInput } from './lib/ceiling-activities';

const retry = { maximumAttempts: 6, initialInterval: 1000, maximumInterval: 30_000, backoffCoefficient: 2 };
const acts = proxyActivities<CeilingActivities>({ startToCloseTimeout: '30s' });
const local = proxyLocalActivities<CeilingActivities>({ startToCloseTimeout: '30s' });
export const ceilingStatusQuery = defineQuery<string>('status');

/** The happy path of cancelOrder for a paid order: the steps, the state each runs in, and the activity it calls. */
const STEPS = [
  { step: 'eligibility', state: 'CHECKING_ELIGIBILITY', activity: 'prepareCancellation' },
  { step: 'hold', state: 'HOLDING', activity: 'merchantHook' },
  { step: 'cancel', state: 'CANCELLING_AT_PROVIDER', activity: 'cancelAtProvider' },
  { step: 'refund', state: 'FINALIZING', activity: 'merchantHook' },
  { step: 'restock', state: 'FINALIZING', activity: 'merchantHook' },
  { step: 'markCancelled', state: 'NOTIFYING', activity: 'merchantHook' },
] as const;

/** The steps that call the provider: regular activities on the provider's own queue, as in cancelOrder. */
const PROVIDER_STEPS: ReadonlySet<string> = new Set(['eligibility', 'cancel']);

/**
 * Same shape as cancelOrder on its happy path for a provider with a lookup — the lookup (`eligibility`) and the pivot
 * (`cancel`) regular activities on the provider's queue `<taskQueue>-<provider>`, the four other steps local
 * activities, each with a summary and a retry policy; 6 search-attribute upserts; current details kept up to date; no
 * timers — but every activity returns at once: the most this server and worker can do for that shape.
 * `input.variant` changes one ingredient at a time (diagnostics only); the bench checks the shape against cancelOrder's.
 */
export async function ceilingCancel(input: CeilingInput): Promise<{ outcome: 'CANCELLED'; steps: string[] }> {
  const v = input.variant ?? {};
  const wfId = workflowInfo().workflowId;
  const providerQueue = providerTaskQueue(workflowInfo().taskQueue, input.provider as ProviderId);
  // cancelOrder's patch marker (and the TemporalChangeVersion upsert that comes with it), for the same shape.
  patched(PROVIDER_TASK_QUEUES_PATCH);
  let state = 'CHECKING_ELIGIBILITY';
  const done: string[] = [];
  const details = () => v.noDetails || setCurrentDetails(`**State:** \`${state}\`\n\n**Steps:** ${done.join(' · ')}`);
  const upsert = (attrs: Record<string, string[]>) => v.noUpserts || upsertSearchAttributes(attrs);
  setHandler(ceilingStatusQuery, () => state);
  upsert({
    [CancelProvider.name]: [input.provider],
    [CancelOrderId.name]: [input.orderId],
    [CancelState.name]: [state],
  });
  details();
  for (const { step, state: next, activity } of STEPS) {
    if (next !== state) {
      state = next;
      upsert({ [CancelState.name]: [state] });
    }
    details();
    const call = { step, workflowId: wfId, key: `${wfId}/${step}`, orderId: input.orderId, provider: input.provider };
    const summary = `${step} of ${input.provider} ${input.orderId}`;
    const options = { summary, retry, startToCloseTimeout: 30_000 };
    const onProvider = PROVIDER_STEPS.has(step);
    const asLocal = v.activities === 'all-local' || (v.activities !== 'all-regular' && !onProvider);
    // Each step in its own cancellation scope, as cancelOrder's runStep does.
    await new CancellationScope().run((): Promise<unknown> =>
      asLocal
        ? local[activity].executeWithOptions({ ...options, localRetryThreshold: '10s' }, [call])
        : acts[activity].executeWithOptions(onProvider ? { ...options, taskQueue: providerQueue } : options, [call]),
    );
    done.push(step);
    details();
  }
  state = 'CANCELLED';
  upsert({ [CancelState.name]: [state] });
  details();
  return { outcome: 'CANCELLED', steps: done };
}
