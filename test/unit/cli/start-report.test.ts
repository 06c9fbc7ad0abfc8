import { differencesOf, endedCancelled } from '../../../src/client/earlier-run';
import { attachWarning, startLine } from '../../../src/client/cli/start-report';
import type { CancelOrderInput } from '../../../src/contract';

const base: CancelOrderInput = { provider: 'fastpod', orderId: 'X', reason: { code: 'customer_request' } };

describe('differencesOf', () => {
  it('is empty when only who asked differs, and a default equals its explicit value', () => {
    const asked = {
      input: { ...base, requestedBy: 'cli:bob', options: { refund: true } },
      priority: { priorityKey: 2 },
    };
    const running = { input: { ...base, requestedBy: 'svc' }, priority: { priorityKey: 2 } };
    expect(differencesOf(asked, running)).toEqual([]);
  });

  it('names each field asked differently: reason, options, priority', () => {
    const asked = {
      input: { ...base, reason: { code: 'fraud' as const, note: 'chargeback' }, options: { restock: false } },
      priority: { priorityKey: 1 },
    };
    const running = { input: base, priority: {} };
    expect(differencesOf(asked, running)).toEqual([
      'reason.code: "fraud" (asked) vs "customer_request" (running)',
      'reason.note: "chargeback" (asked) vs none (running)',
      'options.restock: false (asked) vs true (running)',
      'priority.priorityKey: 1 (asked) vs 3 (running)',
    ]);
  });
});

describe('start report', () => {
  const startedAt = new Date('2026-12-07T15:04:05.678Z');

  it('says started, attached (with the running reason), or already cancelled by an earlier run', () => {
    expect(startLine('cancel:fastpod:X', { started: true })).toBe('started cancel:fastpod:X');
    const attachedTo = { runId: 'r1', startedAt, reason: { code: 'customer_request' as const }, differences: [] };
    expect(startLine('cancel:fastpod:X', { started: false, attachedTo })).toBe(
      'attached to the running cancellation cancel:fastpod:X (started 2026-12-07T15:04:05Z with reason customer_request)',
    );
    const alreadyCancelled = { runId: 'r0', outcome: 'CANCELLED', endedAt: startedAt };
    expect(startLine('cancel:fastpod:X', { started: false, alreadyCancelled })).toMatch(
      /^cancel:fastpod:X: already cancelled by an earlier run \(run r0, ended CANCELLED at 2026-12-07T15:04:05Z\); nothing started, the merchant is not told again/,
    );
  });

  it('warns only when the options differ, naming them', () => {
    const attachedTo = { runId: 'r1', startedAt, differences: ['reason.code: "fraud" (asked) vs "other" (running)'] };
    expect(attachWarning({ started: false, attachedTo })).toMatch(
      /^warning: .*whose options apply .*: reason\.code: "fraud" \(asked\) vs "other" \(running\)$/,
    );
    expect(attachWarning({ started: false, attachedTo: { ...attachedTo, differences: [] } })).toBeUndefined();
    expect(attachWarning({ started: true })).toBeUndefined();
  });

  it('an unreadable running input still attaches, saying why', () => {
    const attachedTo = { runId: 'r1', startedAt, differences: [], unreadable: 'PAYLOAD_ENCRYPTION_KEYS is not set' };
    expect(startLine('cancel:fastpod:X', { started: false, attachedTo })).toContain(
      '(started 2026-12-07T15:04:05Z; its input cannot be read here: PAYLOAD_ENCRYPTION_KEYS is not set)',
    );
  });
});

describe('endedCancelled', () => {
  const run = { runId: 'r', startedAt: new Date() };
  it('only a completed run whose outcome left the order cancelled', () => {
    expect(endedCancelled({ ...run, status: 'COMPLETED', state: 'CANCELLED' })).toBe(true);
    expect(endedCancelled({ ...run, status: 'COMPLETED', state: 'ALREADY_CANCELLED' })).toBe(true);
    expect(endedCancelled({ ...run, status: 'COMPLETED', state: 'REJECTED' })).toBe(false);
    expect(endedCancelled({ ...run, status: 'RUNNING', state: 'CANCELLED' })).toBe(false);
    expect(endedCancelled({ ...run, status: 'TERMINATED', state: 'CANCELLED' })).toBe(false);
    expect(endedCancelled(undefined)).toBe(false);
  });
});
