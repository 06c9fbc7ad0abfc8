import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CancellationClient, RefusedError } from '../../src/client/cancellation-client';
import {
  confirmNotCancelledSignal,
  batchWorkflowId,
  type CancelBatchWorkflow,
  type CancelStatus,
} from '../../src/contract';
import { answerLost, fakeMerchant, fakeProvider, providerDown, providerRefuses } from '../helpers/fakes';
import { startTimeSkipping } from '../helpers/time-skipping';
import { waitFor } from '../helpers/wait';
import { fakeWorker } from '../helpers/workflow-layer';

// A cancel whose answer was lost (the provider may have cancelled) is settled from evidence, or by an operator who
// confirms what they checked; while the provider's side is unknown nothing is undone and nothing is told as fact.

const reason = { code: 'customer_request' } as const;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

/** The first call's answer is lost (the provider did cancel); the repeat is refused as "not cancellable". */
const lostThenRefused = (provider: 'ecom' | 'fincart') => (_id: unknown, n: number) => {
  if (n === 0) throw answerLost(provider);
  throw providerRefuses(provider, 'order is not pending');
};

function awaiting(client: CancellationClient, workflowId: string): Promise<CancelStatus> {
  return waitFor(async () => {
    const s = await client.getStatus(workflowId);
    return s.state === 'AWAITING_OPERATOR' ? s : undefined;
  }, `${workflowId} to await an operator`);
}

async function single(provider: ReturnType<typeof fakeProvider>, merchant: ReturnType<typeof fakeMerchant>) {
  const { worker, taskQueue } = await fakeWorker(env, {
    providers: { [provider.adapter.id]: provider.adapter },
    hooks: merchant.hooks,
  });
  return { worker, client: new CancellationClient({ client: env.client, taskQueue }) };
}

describe('cancelOrder: a lost provider answer', () => {
  it('is settled from evidence: read back cancelled → CANCELLED, refund/restock/notify, no hold released', async () => {
    const ecom = fakeProvider('ecom', {
      cancel: lostThenRefused('ecom'),
      readBack: (orderId) => ({ orderId, status: 'cancelled' }),
    });
    const merchant = fakeMerchant();
    const { worker, client } = await single(ecom, merchant);
    const result = await worker.runUntil(async () => {
      const h = await client.startCancellation({ provider: 'ecom', orderId: 'EC-lost-1', reason });
      return h.result();
    });
    expect(result).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true, attempts: 2 });
    expect(ecom.calls.map((c) => c.method)).toEqual(['cancel', 'cancel', 'readBack']);
    expect(merchant.events()).toEqual([
      'cancellation.hold_requested',
      'cancellation.restock_requested',
      'cancellation.completed',
    ]);
    expect(result.steps.find((s) => s.name === 'cancel')?.note).toContain('read back: status cancelled');
  });

  it('read back not cancelled after a refused repeat → REJECTED, hold released (the refusal stands)', async () => {
    const ecom = fakeProvider('ecom', {
      cancel: lostThenRefused('ecom'),
      readBack: (orderId) => ({ orderId, status: 'shipped' }),
    });
    const merchant = fakeMerchant();
    const { worker, client } = await single(ecom, merchant);
    const result = await worker.runUntil(async () => {
      const h = await client.startCancellation({ provider: 'ecom', orderId: 'EC-lost-2', reason });
      return h.result();
    });
    expect(result).toMatchObject({ outcome: 'REJECTED', providerCancelled: false });
    expect(merchant.events()).toEqual([
      'cancellation.hold_requested',
      'cancellation.hold_released',
      'cancellation.rejected',
    ]);
  });

  it('cannot be read back → AWAITING_OPERATOR "provider state unknown"; confirmCancelled finishes as CANCELLED', async () => {
    const ecom = fakeProvider('ecom', { cancel: lostThenRefused('ecom') });
    const merchant = fakeMerchant();
    const { worker, client } = await single(ecom, merchant);
    const id = 'cancel:ecom:EC-lost-3';
    const result = await worker.runUntil(async () => {
      const h = await client.startCancellation({ provider: 'ecom', orderId: 'EC-lost-3', reason });
      const s = await awaiting(client, id);
      expect(s.awaiting).toMatchObject({
        step: 'cancel',
        providerState: 'unknown',
        unknownOrderIds: ['EC-lost-3'],
        actions: ['retry', 'abort', 'confirmCancelled', 'confirmNotCancelled'],
      });
      expect(await client.confirm(id, true, { by: 'ops', note: 'seen cancelled in the ecom console' })).toBe(
        'confirmation accepted',
      );
      return h.result();
    });
    expect(result).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true });
    const attention = merchant.calls.filter((c) => c.type === 'cancellation.needs_attention');
    expect(attention).toHaveLength(1);
    expect(attention[0].data).toMatchObject({ providerState: 'unknown' });
    expect(merchant.events()).not.toContain('cancellation.hold_released');
    expect(merchant.events().slice(-2)).toEqual(['cancellation.restock_requested', 'cancellation.completed']);
  });

  it('abort while unknown → ABORTED with providerCancelled "unknown": the hold stays, no aborted event', async () => {
    const ecom = fakeProvider('ecom', { cancel: lostThenRefused('ecom') });
    const merchant = fakeMerchant();
    const { worker, client } = await single(ecom, merchant);
    const id = 'cancel:ecom:EC-lost-4';
    const result = await worker.runUntil(async () => {
      const h = await client.startCancellation({ provider: 'ecom', orderId: 'EC-lost-4', reason });
      await awaiting(client, id);
      await client.abort(id, 'giving up', 'ops');
      return h.result();
    });
    expect(result).toMatchObject({ outcome: 'ABORTED', providerCancelled: 'unknown' });
    expect(result.message).toContain('provider state was unknown');
    expect(merchant.events()).toEqual([
      'cancellation.hold_requested',
      'cancellation.needs_attention',
      'cancellation.needs_attention',
    ]);
    expect(merchant.calls.at(-1)?.data).toMatchObject({ providerState: 'unknown', outcome: 'ABORTED' });
  });

  it('confirmNotCancelled → the hold is released and the refusal stands (REJECTED)', async () => {
    const ecom = fakeProvider('ecom', { cancel: lostThenRefused('ecom') });
    const merchant = fakeMerchant();
    const { worker, client } = await single(ecom, merchant);
    const id = 'cancel:ecom:EC-lost-5';
    const result = await worker.runUntil(async () => {
      const h = await client.startCancellation({ provider: 'ecom', orderId: 'EC-lost-5', reason });
      await awaiting(client, id);
      await env.client.workflow.getHandle(id).signal(confirmNotCancelledSignal, { by: 'ops' });
      return h.result();
    });
    expect(result).toMatchObject({ outcome: 'REJECTED', providerCancelled: false });
    expect(result.message).toContain('confirmed NOT cancelled at the provider by ops');
    expect(merchant.events().slice(-2)).toEqual(['cancellation.hold_released', 'cancellation.rejected']);
  });

  it('answered failures (5xx) that cannot be read back are not "unknown": confirm is refused, abort releases', async () => {
    const ecom = fakeProvider('ecom', {
      cancel: () => {
        throw providerDown('ecom');
      },
    });
    const merchant = fakeMerchant();
    const { worker, client } = await single(ecom, merchant);
    const id = 'cancel:ecom:EC-503';
    const result = await worker.runUntil(async () => {
      const h = await client.startCancellation({ provider: 'ecom', orderId: 'EC-503', reason });
      const s = await awaiting(client, id);
      expect(s.awaiting?.providerState).toBeUndefined();
      await expect(client.confirm(id, true)).rejects.toThrow(RefusedError);
      await client.abort(id, 'provider down', 'ops');
      return h.result();
    });
    expect(result).toMatchObject({ outcome: 'ABORTED', providerCancelled: false });
    expect(merchant.events().slice(-2)).toEqual(['cancellation.hold_released', 'cancellation.aborted']);
  });
});

describe('an asynchronous cancel (a job) whose start answer was lost', () => {
  it('reads back "not cancelled yet": a job may still run, so the state is unknown, never "not cancelled"', async () => {
    const shopify = fakeProvider('shopify', {
      lookup: (orderId) => ({ orderId, status: 'UNFULFILLED', paid: true }),
      cancel: () => {
        throw answerLost('shopify');
      },
    });
    shopify.adapter.startCancel = () => Promise.reject(answerLost('shopify'));
    const merchant = fakeMerchant();
    const { worker, client } = await single(shopify, merchant);
    const id = 'cancel:shopify:gid://shopify/Order/77';
    const result = await worker.runUntil(async () => {
      const h = await client.startCancellation({ provider: 'shopify', orderId: 'gid://shopify/Order/77', reason });
      const s = await awaiting(client, id);
      expect(s.awaiting).toMatchObject({ step: 'cancel', providerState: 'unknown' });
      expect(s.timeline.map((t) => t.message).join('\n')).toContain('may still be running');
      await client.abort(id, 'cannot tell', 'ops');
      return h.result();
    });
    // The job may still cancel the order: the hold stays and the merchant is told the state is unknown.
    expect(result).toMatchObject({ outcome: 'ABORTED', providerCancelled: 'unknown' });
    expect(merchant.events()).not.toContain('cancellation.hold_released');
    expect(merchant.events()).not.toContain('cancellation.aborted');
  });
});

describe('cancelFincartBatch: a lost bulk-call answer', () => {
  async function batch(fincart: ReturnType<typeof fakeProvider>, merchant: ReturnType<typeof fakeMerchant>) {
    return fakeWorker(env, { providers: { fincart: fincart.adapter }, hooks: merchant.hooks });
  }
  const orders = ['FC-1', 'FC-2', 'FC-3'].map((orderId) => ({ orderId }));

  it('reads each order back: cancelled ones settle CANCELLED, a still-pending one is cancelled again', async () => {
    const cancelledByLostCall = new Set(['FC-1', 'FC-2']);
    const fincart = fakeProvider('fincart', {
      cancelMany: (ids, n) => {
        if (n === 0) throw answerLost('fincart');
        if (n === 1) throw providerRefuses('fincart', 'Only pending orders can be cancelled');
        return ids.map((orderId) => ({ orderId, status: 'CANCELLED' as const }));
      },
      readBack: (orderId) => ({ orderId, status: cancelledByLostCall.has(orderId) ? 'cancelled' : 'pending' }),
    });
    const merchant = fakeMerchant();
    const { worker, taskQueue } = await batch(fincart, merchant);
    const result = await worker.runUntil(
      env.client.workflow.execute<CancelBatchWorkflow>('cancelFincartBatch', {
        taskQueue,
        workflowId: batchWorkflowId('fincart', 'lost-1', 1),
        args: [{ bulkId: 'lost-1', batchNo: 1, orders, reason }],
      }),
    );
    expect(result.results.map((r) => [r.orderId, r.outcome, r.providerCancelled])).toEqual([
      ['FC-1', 'CANCELLED', true],
      ['FC-2', 'CANCELLED', true],
      ['FC-3', 'CANCELLED', true],
    ]);
    expect(fincart.calls.filter((c) => c.method === 'cancelMany').map((c) => c.orderIds)).toEqual([
      ['FC-1', 'FC-2', 'FC-3'],
      ['FC-1', 'FC-2', 'FC-3'],
      ['FC-3'],
    ]);
    for (const id of ['FC-1', 'FC-2', 'FC-3']) {
      expect(merchant.events(id)).not.toContain('cancellation.hold_released');
      expect(merchant.events(id).at(-1)).toBe('cancellation.completed');
    }
  });

  it('cannot be read back → per-order confirmations from the operator; unconfirmed orders keep waiting', async () => {
    const fincart = fakeProvider('fincart', { cancelMany: lostThenRefused('fincart') });
    const merchant = fakeMerchant();
    const { worker, taskQueue } = await batch(fincart, merchant);
    const client = new CancellationClient({ client: env.client, taskQueue });
    const id = batchWorkflowId('fincart', 'lost-2', 1);
    const result = await worker.runUntil(async () => {
      const h = await env.client.workflow.start<CancelBatchWorkflow>('cancelFincartBatch', {
        taskQueue,
        workflowId: id,
        args: [{ bulkId: 'lost-2', batchNo: 1, orders, reason }],
      });
      const s = await awaiting(client, id);
      expect(s.awaiting).toMatchObject({ providerState: 'unknown', unknownOrderIds: ['FC-1', 'FC-2', 'FC-3'] });
      await expect(client.confirm(id, true, { orderIds: ['FC-9'] })).rejects.toThrow(/FC-9 is not waiting/);
      await client.confirm(id, true, { orderIds: ['FC-1', 'FC-2'], by: 'ops' });
      const again = await waitFor(async () => {
        const st = await client.getStatus(id);
        return st.awaiting?.unknownOrderIds?.length === 1 ? st : undefined;
      }, 'the batch to wait for the last order');
      expect(again.awaiting?.unknownOrderIds).toEqual(['FC-3']);
      await client.confirm(id, false, { by: 'ops', note: 'still pending in the Fincart panel' });
      return h.result();
    });
    expect(result.results.map((r) => [r.orderId, r.outcome])).toEqual([
      ['FC-1', 'CANCELLED'],
      ['FC-2', 'CANCELLED'],
      ['FC-3', 'REJECTED'],
    ]);
    expect(merchant.events('FC-1')).not.toContain('cancellation.hold_released');
    expect(merchant.events('FC-3').slice(-2)).toEqual(['cancellation.hold_released', 'cancellation.rejected']);
  });

  it('abort while unknown → ABORTED "unknown" per order, holds kept, needs_attention instead of aborted', async () => {
    const fincart = fakeProvider('fincart', { cancelMany: lostThenRefused('fincart') });
    const merchant = fakeMerchant();
    const { worker, taskQueue } = await batch(fincart, merchant);
    const client = new CancellationClient({ client: env.client, taskQueue });
    const id = batchWorkflowId('fincart', 'lost-3', 1);
    const result = await worker.runUntil(async () => {
      const h = await env.client.workflow.start<CancelBatchWorkflow>('cancelFincartBatch', {
        taskQueue,
        workflowId: id,
        args: [{ bulkId: 'lost-3', batchNo: 1, orders, reason }],
      });
      await awaiting(client, id);
      await client.abort(id, 'stop', 'ops');
      return h.result();
    });
    for (const r of result.results) expect(r).toMatchObject({ outcome: 'ABORTED', providerCancelled: 'unknown' });
    for (const o of orders) {
      expect(merchant.events(o.orderId)).toEqual([
        'cancellation.hold_requested',
        'cancellation.needs_attention',
        'cancellation.needs_attention',
      ]);
    }
  });
});
