import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { CancellationClient } from '../../src/client/cancellation-client';
import { fakeMerchant, fakeProvider } from '../helpers/fakes';
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

it('steps the provider did itself with the cancel (doneByProvider) are not run again by the merchant', async () => {
  const fungies = fakeProvider('fungies', {
    lookup: (orderId) => ({ orderId, status: 'PAID', paid: true }),
    cancel: (orderId) => ({ orderId, status: 'CANCELLED', doneByProvider: ['refund', 'restock'] }),
  });
  const merchant = fakeMerchant();
  const { worker, taskQueue } = await fakeWorker(env, {
    providers: { fungies: fungies.adapter },
    hooks: merchant.hooks,
  });
  const client = new CancellationClient({ client: env.client, taskQueue });
  const result = await worker.runUntil(async () => {
    const h = await client.startCancellation({ provider: 'fungies', orderId: 'FG-by-provider', reason });
    return h.result();
  });
  expect(result).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true });
  // Paid, yet no refund_requested and no restock_requested: the provider did both.
  expect(merchant.events()).toEqual(['cancellation.hold_requested', 'cancellation.completed']);
  expect(result.steps.map((s) => s.name)).not.toContain('refund');
});
