import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CancellationClient } from '../../src/client/cancellation-client';
import { MerchantRefusedError, MerchantTransientError } from '../../src/contract';
import type { HookCall } from '../../src/merchant/port';
import { fakeMerchant, fakeProvider } from '../helpers/fakes';
import { startTimeSkipping } from '../helpers/time-skipping';
import { waitFor } from '../helpers/wait';
import { fakeWorker } from '../helpers/workflow-layer';

// The steps after the pivot run together (one local activity, one workflow activation): each keeps its own record,
// event and key, in order; a failure goes on step by step from the step that failed.

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

const reason = { code: 'customer_request' } as const;
const HOLD = 'cancellation.hold_requested';
const REFUND = 'cancellation.refund_requested';
const RESTOCK = 'cancellation.restock_requested';
const COMPLETED = 'cancellation.completed';
const ATTENTION = 'cancellation.needs_attention';

async function run(
  orderId: string,
  fail: (call: HookCall) => void,
  operator?: (c: CancellationClient) => Promise<void>,
) {
  const ecom = fakeProvider('ecom', { lookup: (id) => ({ orderId: id, status: 'pending', paid: true }) });
  const merchant = fakeMerchant(fail);
  const { worker, taskQueue } = await fakeWorker(env, { providers: { ecom: ecom.adapter }, hooks: merchant.hooks });
  const client = new CancellationClient({ client: env.client, taskQueue });
  const result = await worker.runUntil(async () => {
    const handle = await client.startCancellation({ provider: 'ecom', orderId, reason });
    await operator?.(client);
    return handle.result();
  });
  const history = await env.client.workflow.getHandle(`cancel:ecom:${orderId}`).fetchHistory();
  const markers = (history.events ?? []).filter(
    (e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity',
  );
  return { result, merchant, localActivities: markers.length };
}

describe('cancelOrder: the steps after the pivot', () => {
  it('run in one local activity, in order, each step with its own record and key', async () => {
    const { result, merchant, localActivities } = await run('EC-together', () => undefined);
    expect(result.outcome).toBe('CANCELLED');
    expect(merchant.events()).toEqual([HOLD, REFUND, RESTOCK, COMPLETED]);
    // Eligibility (ecom has no lookup the provider documents: judged in the worker), the hold, then the three together.
    expect(localActivities).toBe(3);
    const keys = merchant.calls.map((c) => c.key.split('/').at(-1));
    expect(keys).toEqual(['hold', 'refund', 'restock', 'markCancelled']);
    const final = result.steps.filter((s) => ['refund', 'restock', 'markCancelled'].includes(s.name));
    expect(final.map((s) => [s.name, s.status, s.attempts])).toEqual([
      ['refund', 'done', 1],
      ['restock', 'done', 1],
      ['markCancelled', 'done', 1],
    ]);
  });

  it('a refused step waits for an operator; what was sent before it is not sent again', async () => {
    let refusals = 0;
    const fail = (call: HookCall) => {
      if (call.step === 'restock' && refusals++ === 0) throw new MerchantRefusedError('no such stock line', 422);
    };
    const { result, merchant } = await run('EC-refused-restock', fail, async (client) => {
      const s = await waitFor(async () => {
        const status = await client.getStatus('cancel:ecom:EC-refused-restock');
        return status.state === 'AWAITING_OPERATOR' ? status : undefined;
      }, 'the restock to await an operator');
      expect(s.awaiting).toMatchObject({
        step: 'restock',
        abortAllowed: false,
        error: { type: 'MerchantRefusedError' },
      });
      expect(s.steps.find((x) => x.name === 'refund')).toMatchObject({ status: 'done', attempts: 1 });
      await client.retry('cancel:ecom:EC-refused-restock', 'ops');
    });
    expect(result.outcome).toBe('CANCELLED');
    expect(merchant.events()).toEqual([HOLD, REFUND, RESTOCK, ATTENTION, RESTOCK, COMPLETED]);
    expect(result.steps.find((s) => s.name === 'restock')).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('a failed attempt sends the steps again from the first, with the same keys', async () => {
    let failures = 0;
    const fail = (call: HookCall) => {
      if (call.step === 'markCancelled' && failures++ === 0) throw new MerchantTransientError('merchant answered 503');
    };
    const { result, merchant } = await run('EC-retried', fail);
    expect(result.outcome).toBe('CANCELLED');
    expect(merchant.events()).toEqual([HOLD, REFUND, RESTOCK, COMPLETED, REFUND, RESTOCK, COMPLETED]);
    const refunds = merchant.calls.filter((c) => c.step === 'refund');
    expect(new Set(refunds.map((c) => c.key)).size).toBe(1);
    expect(new Set(refunds.map((c) => c.occurredAt)).size).toBe(1); // the same body: the receiver drops the repeat
    expect(result.steps.find((s) => s.name === 'markCancelled')).toMatchObject({ status: 'done', attempts: 2 });
  });
});
