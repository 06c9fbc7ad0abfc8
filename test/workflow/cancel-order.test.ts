import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CancellationClient, RefusedError } from '../../src/client/cancellation-client';
import { abortSignal, MerchantTransientError, type CancelStatus } from '../../src/contract';
import { fakeMerchant, fakeProvider, providerDown, providerRefuses } from '../helpers/fakes';
import { startTimeSkipping } from '../helpers/time-skipping';
import { waitFor } from '../helpers/wait';
import { fakeWorker } from '../helpers/workflow-layer';

const reason = { code: 'customer_request' } as const;
const HOURS_72 = 72 * 3600 * 1000;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

/** Wait until the `status` query says the workflow waits for an operator. */
function awaitingOperator(client: CancellationClient, workflowId: string): Promise<CancelStatus> {
  return waitFor(async () => {
    const s = await client.getStatus(workflowId);
    return s.state === 'AWAITING_OPERATOR' ? s : undefined;
  }, `${workflowId} to await an operator`);
}

async function setup(provider: ReturnType<typeof fakeProvider>, merchant: ReturnType<typeof fakeMerchant>) {
  const { worker, taskQueue } = await fakeWorker(env, {
    providers: { [provider.adapter.id]: provider.adapter },
    hooks: merchant.hooks,
  });
  return { worker, client: new CancellationClient({ client: env.client, taskQueue }) };
}

describe('cancelOrder on a time-skipping server (fake adapters and hooks through createActivities)', () => {
  it('waits the real 72 h default for an operator, then aborts and releases the hold', async () => {
    const fastpod = fakeProvider('fastpod', {
      cancel: () => {
        throw providerDown('fastpod');
      },
    });
    const merchant = fakeMerchant();
    const { worker, client } = await setup(fastpod, merchant);
    const before = await env.currentTimeMs();
    const result = await worker.runUntil(async () => {
      const handle = await client.startCancellation({ provider: 'fastpod', orderId: 'FP-timeout', reason });
      return handle.result();
    });
    expect(await env.currentTimeMs()).toBeGreaterThanOrEqual(before + HOURS_72);
    expect(result).toMatchObject({ outcome: 'ABORTED', providerCancelled: false, attempts: 3 });
    expect(result.message).toContain(`no operator answer within ${HOURS_72 / 1000} s`);
    expect(fastpod.calls.filter((c) => c.method === 'cancel')).toHaveLength(3);
    expect(merchant.events()).toEqual([
      'cancellation.hold_requested',
      'cancellation.needs_attention',
      'cancellation.hold_released',
      'cancellation.aborted',
    ]);
    expect(result.steps.find((s) => s.name === 'releaseHold')?.status).toBe('compensated');
  });

  it('treats a refusal after a failed attempt as ambiguous: it waits for an operator instead of rejecting', async () => {
    const fincart = fakeProvider('fincart', {
      cancel: (orderId, n) => {
        if (n === 0) throw providerDown('fincart');
        if (n === 1) throw providerRefuses('fincart', 'order already cancelled or unknown');
        return { orderId, status: 'ALREADY_CANCELLED' };
      },
    });
    const merchant = fakeMerchant();
    const { worker, client } = await setup(fincart, merchant);
    const result = await worker.runUntil(async () => {
      const handle = await client.startCancellation({ provider: 'fincart', orderId: 'FC-ambiguous', reason });
      const status = await awaitingOperator(client, handle.workflowId);
      expect(status.awaiting).toMatchObject({ step: 'cancel', abortAllowed: true });
      expect(status.awaiting?.error?.type).toBe('ProviderRejectedError');
      await expect(client.retry(handle.workflowId, 'ops@example.com')).resolves.toBe('retry accepted');
      return handle.result();
    });
    expect(result).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true, attempts: 3 });
    const keys = fincart.calls.map((c) => c.idempotencyKey);
    expect(new Set(keys).size).toBe(1); // one key for every attempt of the step: <workflowId>/<firstRunId>/cancel
    expect(keys[0]).toMatch(/^cancel:fincart:FC-ambiguous\/[0-9a-f-]{36}\/cancel$/);
    expect(merchant.events()).toContain('cancellation.completed');
  });

  it('records a failing compensation and still ends REJECTED, telling the merchant', async () => {
    const fungies = fakeProvider('fungies', {
      cancel: () => {
        throw providerRefuses('fungies');
      },
    });
    const merchant = fakeMerchant((call) => {
      if (call.step === 'releaseHold') throw new MerchantTransientError('merchant answered 503');
    });
    const { worker, client } = await setup(fungies, merchant);
    const result = await worker.runUntil(async () => {
      const handle = await client.startCancellation({ provider: 'fungies', orderId: 'fng-undo-fails', reason });
      return handle.result();
    });
    expect(result).toMatchObject({ outcome: 'REJECTED', providerCancelled: false, attempts: 1 });
    const release = result.steps.find((s) => s.name === 'releaseHold');
    expect(release).toMatchObject({ status: 'failed', lastError: { type: 'CompensationFailed' } });
    expect(release?.lastError?.message).toContain('merchant answered 503');
    expect(merchant.calls.filter((c) => c.step === 'releaseHold')).toHaveLength(3);
    expect(merchant.events().at(-1)).toBe('cancellation.rejected');
  });

  it('after the pivot refuses the abort update, but the abort signal skips what is left and says so', async () => {
    const ecom = fakeProvider('ecom', { lookup: (orderId) => ({ orderId, status: 'pending', paid: true }) });
    const merchant = fakeMerchant((call) => {
      if (call.step === 'refund') throw new MerchantTransientError('refund service down');
    });
    const { worker, client } = await setup(ecom, merchant);
    const result = await worker.runUntil(async () => {
      const handle = await client.startCancellation({ provider: 'ecom', orderId: 'EC-after-pivot', reason });
      const status = await awaitingOperator(client, handle.workflowId);
      expect(status).toMatchObject({ providerCancelled: true, awaiting: { step: 'refund', abortAllowed: false } });
      const refused = await client.abort(handle.workflowId, 'too late?').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RefusedError);
      expect((refused as Error).message).toContain('provider already cancelled');
      await handle.signal(abortSignal, { reason: 'refund done by hand', by: 'ops' });
      return handle.result();
    });
    expect(result).toMatchObject({ outcome: 'ABORTED', providerCancelled: true });
    expect(result.message).toContain('skipped: refund, restock, markCancelled');
    const events = merchant.events();
    expect(events).not.toContain('cancellation.restock_requested');
    expect(events).not.toContain('cancellation.completed');
    const told = merchant.calls.at(-1);
    expect(told).toMatchObject({ type: 'cancellation.aborted', data: { providerCancelled: true } });
  });
});
