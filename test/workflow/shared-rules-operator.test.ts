import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  abortSignal,
  MerchantRefusedError,
  MerchantTransientError,
  PROVIDER_STATE_UNKNOWN,
  type HookStep,
} from '../../src/contract';
import { answerLost, providerDown, providerRefuses } from '../helpers/fakes';
import { startTimeSkipping } from '../helpers/time-skipping';
import { BOTH, type CancelScript } from './paths';

// The shared rules of waiting for an operator (its timeout, the needs_attention notices), of a provider state left
// unknown, and the outcome messages, run through both workflows (cancelOrder and cancelFincartBatch).

let env: TestWorkflowEnvironment;
beforeAll(async () => {
  env = await startTimeSkipping();
});
afterAll(async () => {
  await env?.teardown();
});

const HOUR = 3_600_000;
const ATTENTION = 'cancellation.needs_attention';
const alwaysDown: CancelScript = () => {
  throw providerDown('fincart');
};
/** The first call's answer is lost; the repeat is refused: the provider state stays unknown (no read-back). */
const lostThenRefused: CancelScript = (_id, n) => {
  throw n === 0 ? answerLost('fincart') : providerRefuses('fincart', 'order is not pending');
};
/** Workflow time between the first needs_attention notice and the hold's release (the events' occurredAt). */
function waitedMs(calls: { type: string; occurredAt: string }[]): number {
  const at = (type: string) => Date.parse(calls.find((c) => c.type === type)?.occurredAt ?? '');
  return at('cancellation.hold_released') - at(ATTENTION);
}
/** Fail the merchant's `step` for the first `times` calls (a transient failure). */
function failing(step: HookStep, times: number) {
  let n = 0;
  return (call: { step: HookStep }) => {
    if (call.step === step && n++ < times) throw new MerchantTransientError(`${step} service down`);
  };
}

describe.each(BOTH)('$name: waiting for an operator', (path) => {
  const id = (s: string) => `${path.name}-${s}`;

  it('waits the default 72 h, time-skipped, then aborts and releases the hold', async () => {
    const r = await path.run(env, { orderId: id('timeout-default'), cancel: alwaysDown });
    expect(waitedMs(r.calls)).toBeGreaterThanOrEqual(72 * HOUR);
    expect(waitedMs(r.calls)).toBeLessThan(72 * HOUR + 60_000);
    expect(r).toMatchObject({ outcome: 'ABORTED', providerCancelled: false });
    expect(r.message).toContain(`no operator answer within ${72 * 3600} s`);
    expect(r.events.slice(-2)).toEqual(['cancellation.hold_released', 'cancellation.aborted']);
  });

  it('waits a custom options.operatorTimeout (2h) instead', async () => {
    const r = await path.run(env, {
      orderId: id('timeout-2h'),
      cancel: alwaysDown,
      options: { operatorTimeout: '2h' },
    });
    expect(waitedMs(r.calls)).toBeGreaterThanOrEqual(2 * HOUR);
    expect(waitedMs(r.calls)).toBeLessThan(2 * HOUR + 60_000);
    expect(r.message).toContain(`no operator answer within ${2 * 3600} s`);
  });

  it('numbers its needs_attention notices per run and says the step and its error', async () => {
    const r = await path.run(env, {
      orderId: id('notices'),
      snapshot: { status: 'pending', paid: true },
      merchantFails: failing('refund', 6), // two rounds of the merchant's three attempts
      operator: async (op) => {
        await op.awaiting(1);
        await op.client.retry(op.workflowId, 'ops');
        await op.awaiting(2);
        await op.client.retry(op.workflowId, 'ops');
      },
    });
    expect(r).toMatchObject({ outcome: 'CANCELLED', providerCancelled: true });
    const notices = r.calls.filter((c) => c.type === ATTENTION);
    expect(notices.map((c) => c.key.split('/').at(-1))).toEqual([
      'notify.needs_attention.1',
      'notify.needs_attention.2',
    ]);
    for (const n of notices) {
      expect(n.step).toBe('notify');
      expect(n.data).toMatchObject({
        step: 'refund',
        error: { message: expect.stringContaining('refund service down') },
      });
      expect(n.data).not.toHaveProperty('providerState');
    }
    expect(r.events.slice(-3)).toEqual([
      'cancellation.refund_requested',
      'cancellation.restock_requested',
      'cancellation.completed',
    ]);
  });

  it('says the provider state is unknown after a lost answer; an abort then keeps the hold and is told as needs_attention', async () => {
    const r = await path.run(env, {
      orderId: id('unknown'),
      cancel: lostThenRefused,
      operator: async (op) => {
        await op.awaiting(1);
        await op.client.abort(op.workflowId, 'giving up', 'ops');
      },
    });
    expect(r).toMatchObject({ outcome: 'ABORTED', providerCancelled: 'unknown' });
    expect(r.message).toBe(
      'aborted by ops while the provider state was unknown: giving up; the hold stays: check the order at ' +
        `${path.name === 'cancelOrder' ? 'fincart' : 'Fincart'} and release or finish it by hand`,
    );
    expect(r.events).toEqual(['cancellation.hold_requested', ATTENTION, ATTENTION]);
    const [waiting, ended] = r.calls.slice(1);
    expect(waiting.data).toMatchObject({ step: 'cancel', providerState: 'unknown', message: PROVIDER_STATE_UNKNOWN });
    expect(ended.key.split('/').at(-1)).toBe('notify.outcome');
    expect(ended.data).toMatchObject({
      step: 'cancel',
      outcome: 'ABORTED',
      providerState: 'unknown',
      providerCancelled: 'unknown',
      message: r.message,
    });
  });
});

describe.each(BOTH)('$name: the outcome messages', (path) => {
  const id = (s: string) => `${path.name}-msg-${s}`;

  it('a provider refusal: REJECTED "<provider> refused the cancel: …", hold released', async () => {
    const r = await path.run(env, {
      orderId: id('refused'),
      cancel: () => {
        throw providerRefuses('fincart', 'already shipped');
      },
    });
    expect(r).toMatchObject({ outcome: 'REJECTED', message: 'fincart refused the cancel: refused: already shipped' });
    expect(r.events.slice(-2)).toEqual(['cancellation.hold_released', 'cancellation.rejected']);
  });

  it('a merchant refusing the hold: REJECTED "merchant refused the hold: …", nothing cancelled', async () => {
    const r = await path.run(env, {
      orderId: id('hold-refused'),
      merchantFails: (call) => {
        if (call.step === 'hold') throw new MerchantRefusedError('order already packed');
      },
    });
    expect(r).toMatchObject({ outcome: 'REJECTED', providerCancelled: false });
    expect(r.message).toMatch(/^merchant refused the hold: .*order already packed/);
    expect(r.events).toEqual(['cancellation.hold_requested', 'cancellation.rejected']);
  });

  it('an abort after the pivot: ABORTED "aborted after the provider cancelled the order (cannot be undone)"', async () => {
    const r = await path.run(env, {
      orderId: id('after-pivot'),
      snapshot: { status: 'pending', paid: true },
      merchantFails: failing('refund', 1000),
      operator: async (op) => {
        await op.awaiting(1);
        await env.client.workflow.getHandle(op.workflowId).signal(abortSignal, { reason: 'refund by hand', by: 'ops' });
      },
    });
    expect(r).toMatchObject({ outcome: 'ABORTED', providerCancelled: true });
    expect(r.message).toBe(
      'aborted after the provider cancelled the order (cannot be undone): refund by hand; skipped: refund, restock, markCancelled',
    );
    expect(r.calls.at(-1)).toMatchObject({ type: 'cancellation.aborted', data: { providerCancelled: true } });
  });
});
