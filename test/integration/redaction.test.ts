import { CancellationClient } from '../../src/client/cancellation-client';
import { historyText } from '../helpers/history';
import { useTestStack } from '../helpers/stack';

// A merchant's or provider's error body is quoted into the outcome and the history: credentials echoed in it must not be.
const stack = useTestStack();
beforeEach(() => stack.sandbox.reset());

const reason = { code: 'customer_request' };
const uniq = (name: string) => `${name}-${process.pid}-${Date.now()}`;
/** Values a careless receiver echoes back; none may reach the history. */
const ECHOED = ['sk_live_51HxEchoedKey9876', 'hunter2-pass', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJvcHMifQ.c2lnbmF0dXJl'];

async function cancel(provider: string, orderId: string, snapshot?: { status: string }) {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const input = { provider, orderId, reason, ...(snapshot ? { snapshot } : {}) };
  const result = await worker.runUntil(async () => (await client.startCancellation(input)).result());
  return { result, history: await historyText(stack.env.client, `cancel:${provider}:${orderId}`) };
}

test('a merchant refusal echoing credentials: its words stay in the outcome, the credentials reach no history', async () => {
  const orderId = uniq('fng-echo');
  stack.sandbox.fungies.seed([{ id: orderId, status: 'PAID' }]);
  stack.sandbox.merchant.injectFault({
    route: 'cancellation.hold_requested',
    orderId,
    status: 422,
    body: JSON.stringify({
      error: 'order is locked for picking',
      debug: `api_key=${ECHOED[0]} password=${ECHOED[1]}`,
      headers: { authorization: `Bearer ${ECHOED[2]}` },
    }),
  });
  const { result, history } = await cancel('fungies', orderId);
  expect(result.outcome).toBe('REJECTED');
  expect(result.message).toMatch(/merchant refused the hold: .*HTTP 422.*order is locked for picking/);
  expect(result.message).toContain('api_key=[redacted] password=[redacted]');
  expect(result.message).toContain('Bearer [redacted]');
  expect(history).toContain('order is locked for picking'); // the check below searches a history that has the text
  for (const value of ECHOED) expect(history).not.toContain(value);
  expect(stack.sandbox.fungies.requestsFor('cancel', orderId)).toHaveLength(0);
});

test('a provider refusal echoing credentials (Fincart 400): the refusal is kept, the credentials are not', async () => {
  const orderId = uniq('FC-echo');
  stack.sandbox.fincart.seed([{ id: orderId, status: 'pending' }]);
  stack.sandbox.fincart.injectFault({
    route: 'cancel',
    orderId,
    status: 400,
    body: JSON.stringify({
      statusCode: 400,
      message: `Invalid request for key ${ECHOED[0]}`,
      errors: [`"password": "${ECHOED[1]}"`],
    }),
  });
  const { result, history } = await cancel('fincart', orderId, { status: 'pending' });
  expect(result.outcome).toBe('REJECTED');
  expect(result.message).toMatch(/Invalid request for key \[redacted\]/);
  expect(history).toContain('Invalid request for key');
  for (const value of ECHOED.slice(0, 2)) expect(history).not.toContain(value);
});
