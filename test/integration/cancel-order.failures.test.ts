import { CancellationClient } from '../../src/client/cancellation-client';
import { useTestStack } from '../helpers/stack';

const stack = useTestStack();
beforeEach(() => stack.sandbox.reset());

/** Run one cancellation to its outcome on a fresh worker. */
async function cancel(input: Record<string, unknown>, extraEnv: Record<string, string> = {}) {
  const { worker, taskQueue } = await stack.newWorker(extraEnv);
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  return worker.runUntil(async () => (await client.startCancellation(input)).result());
}
const reason = { code: 'customer_request' };

it('an order past the cancellable statuses ends NOT_ELIGIBLE with nothing held or cancelled', async () => {
  stack.sandbox.fastpod.seed([{ id: 'F237-120723-000010', status: 'in_production' }]);
  const result = await cancel({ provider: 'fastpod', orderId: 'F237-120723-000010', reason });
  expect(result.outcome).toBe('NOT_ELIGIBLE');
  expect(result.message).toContain('in_production');
  expect(stack.sandbox.fastpod.requestsFor('cancel')).toHaveLength(0);
  expect(stack.sandbox.merchant.typesFor('F237-120723-000010')).toEqual(['cancellation.not_eligible']);
});

it('an order the provider already cancelled ends ALREADY_CANCELLED without a cancel call', async () => {
  stack.sandbox.fungies.seed([{ id: 'fng-gone', status: 'CANCELLED' }]);
  const result = await cancel({ provider: 'fungies', orderId: 'fng-gone', reason });
  expect(result.outcome).toBe('ALREADY_CANCELLED');
  expect(stack.sandbox.fungies.requestsFor('cancel')).toHaveLength(0);
  expect(stack.sandbox.merchant.typesFor('fng-gone')).toEqual(['cancellation.completed']);
  expect(stack.sandbox.merchant.events[0].data).toMatchObject({ outcome: 'ALREADY_CANCELLED' });
});

it('a caller snapshot decides eligibility where the provider has no lookup (Fincart)', async () => {
  stack.sandbox.fincart.seed([{ id: 'FC-shipped', status: 'processing' }]);
  const result = await cancel({
    provider: 'fincart',
    orderId: 'FC-shipped',
    reason,
    snapshot: { status: 'processing' },
  });
  expect(result.outcome).toBe('NOT_ELIGIBLE');
  expect(stack.sandbox.fincart.requests).toHaveLength(0);
});

it('a provider refusal releases the hold and ends REJECTED', async () => {
  // The snapshot says pending, but the provider knows better: it refuses.
  stack.sandbox.fincart.seed([{ id: 'FC-late', status: 'processing' }]);
  const result = await cancel({ provider: 'fincart', orderId: 'FC-late', reason, snapshot: { status: 'pending' } });
  expect(result.outcome).toBe('REJECTED');
  expect(result.error?.type).toBe('ProviderRejectedError');
  expect(result.providerCancelled).toBe(false);
  expect(stack.sandbox.fincart.requestsFor('cancel', 'FC-late')).toHaveLength(1);
  expect(stack.sandbox.merchant.typesFor('FC-late')).toEqual([
    'cancellation.hold_requested',
    'cancellation.hold_released',
    'cancellation.rejected',
  ]);
  expect(result.steps.find((s) => s.name === 'releaseHold')).toMatchObject({ status: 'compensated', attempts: 1 });
});

it('refused credentials end FAILED with the hold released and no secret in the error', async () => {
  stack.sandbox.fungies.seed([{ id: 'fng-auth', status: 'PENDING' }]);
  const wrong = 'sec_wrong_but_secret_value';
  const result = await cancel({ provider: 'fungies', orderId: 'fng-auth', reason }, { FUNGIES_SECRET_KEY: wrong });
  expect(result.outcome).toBe('FAILED');
  expect(result.error?.type).toBe('ProviderAuthError');
  expect(result.attempts).toBe(1); // auth errors are not retried
  expect(JSON.stringify(result)).not.toContain(wrong);
  expect(stack.sandbox.merchant.typesFor('fng-auth')).toEqual([
    'cancellation.hold_requested',
    'cancellation.hold_released',
    'cancellation.rejected',
  ]);
  expect(stack.sandbox.fungies.orders.get('fng-auth')?.status).toBe('PENDING');
});

it('transient failures are retried (Retry-After honoured) and the attempts are counted', async () => {
  stack.sandbox.fastpod.seed([{ id: 'F237-120723-000020', status: 'new_order' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'F237-120723-000020', status: 429, retryAfter: '1' });
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId: 'F237-120723-000020', status: 503 });
  const result = await cancel({ provider: 'fastpod', orderId: 'F237-120723-000020', reason });
  expect(result.outcome).toBe('CANCELLED');
  expect(result.attempts).toBe(3);
  const calls = stack.sandbox.fastpod.requestsFor('cancel', 'F237-120723-000020');
  expect(calls.map((r) => r.responseStatus)).toEqual([429, 503, 200]);
  // The retry after the 429 waited for the provider's Retry-After (1 s), not the 20 ms test backoff.
  expect(calls[1].at - calls[0].at).toBeGreaterThanOrEqual(950);
});

it('a workflow input that fails validation fails the workflow with InvalidRequestError before any call', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const err = await worker.runUntil(
    stack.env.client.workflow
      .execute('cancelOrder', {
        taskQueue,
        workflowId: `cancel:fastpod:bad-${taskQueue}`,
        args: [{ provider: 'fastpod', orderId: '', reason }],
      })
      .catch((e: unknown) => e),
  );
  expect((err as { cause?: { type?: string; message?: string } }).cause).toMatchObject({
    type: 'InvalidRequestError',
    message: expect.stringContaining('orderId: must not be empty'),
  });
  expect(stack.sandbox.fastpod.requests).toHaveLength(0);
  expect(stack.sandbox.merchant.events).toHaveLength(0);
});
