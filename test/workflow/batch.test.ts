import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { batchWorkflowId, type CancelBatchWorkflow } from '../../src/contract';
import { fakeMerchant, fakeProvider, providerRefuses } from '../helpers/fakes';
import { startTimeSkipping } from '../helpers/time-skipping';
import { fakeWorker } from '../helpers/workflow-layer';

const reason = { code: 'customer_request' } as const;

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

describe('cancelFincartBatch on a time-skipping server (fake Fincart and hooks through createActivities)', () => {
  it('bisects a refused bulk call until each refused order stands alone; the rest cancel', async () => {
    const bad = new Set(['FC-3', 'FC-6']);
    const fincart = fakeProvider('fincart', {
      cancelMany: (ids) => {
        const refused = ids.filter((id) => bad.has(id));
        if (refused.length > 0) throw providerRefuses('fincart', `${refused.join(', ')} already shipped`);
        return ids.map((orderId) => ({ orderId, status: 'CANCELLED' as const }));
      },
    });
    const merchant = fakeMerchant();
    const { worker, taskQueue } = await fakeWorker(env, {
      providers: { fincart: fincart.adapter },
      hooks: merchant.hooks,
    });
    const bulkId = 'bisect-1';
    const orders = ['FC-1', 'FC-2', 'FC-3', 'FC-4', 'FC-5', 'FC-6'].map((orderId) => ({ orderId }));
    const result = await worker.runUntil(
      env.client.workflow.execute<CancelBatchWorkflow>('cancelFincartBatch', {
        taskQueue,
        workflowId: batchWorkflowId('fincart', bulkId, 1),
        args: [{ bulkId, batchNo: 1, orders, reason }],
      }),
    );
    const outcome = Object.fromEntries(result.results.map((r) => [r.orderId, r.outcome]));
    expect(outcome).toEqual({
      'FC-1': 'CANCELLED',
      'FC-2': 'CANCELLED',
      'FC-3': 'REJECTED',
      'FC-4': 'CANCELLED',
      'FC-5': 'CANCELLED',
      'FC-6': 'REJECTED',
    });
    // 6 → 3+3; [1,2,3] → [1,2] ok + [3] refused; [4,5,6] → [4,5] ok + [6] refused: one attempt each (no retry).
    expect(fincart.calls.map((c) => c.orderIds)).toEqual([
      ['FC-1', 'FC-2', 'FC-3', 'FC-4', 'FC-5', 'FC-6'],
      ['FC-1', 'FC-2', 'FC-3'],
      ['FC-1', 'FC-2'],
      ['FC-3'],
      ['FC-4', 'FC-5', 'FC-6'],
      ['FC-4', 'FC-5'],
      ['FC-6'],
    ]);
    const keys = fincart.calls.map((c) => c.idempotencyKey?.split('/cancel/')[1]);
    expect(keys).toEqual(['all', 'all.0', 'all.0.0', 'all.0.1', 'all.1', 'all.1.0', 'all.1.1']);
    // The refused orders' holds are released and the merchant hears REJECTED; the cancelled ones get completed.
    expect(merchant.events('FC-3')).toEqual([
      'cancellation.hold_requested',
      'cancellation.hold_released',
      'cancellation.rejected',
    ]);
    expect(merchant.events('FC-1')).toEqual([
      'cancellation.hold_requested',
      'cancellation.restock_requested',
      'cancellation.completed',
    ]);
    expect(result.results.find((r) => r.orderId === 'FC-6')?.message).toContain('FC-6 already shipped');
  });
});
