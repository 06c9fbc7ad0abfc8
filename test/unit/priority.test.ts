import {
  bulkChildPriority,
  bulkFairnessKey,
  bulkPriority,
  checkPriority,
  FAIRNESS_KEY_MAX_BYTES,
} from '../../src/contract/priority';
import { dynamicConfigArgs } from '../../src/devserver/dynamic-config';

describe('checkPriority', () => {
  it.each([
    [{ priorityKey: 0 }, /^priority\.priorityKey: must be a whole number from 1 \(first\) to 5 \(last\), got 0$/],
    [{ priorityKey: 2.5 }, /^priority\.priorityKey: .* got 2\.5$/],
    [{ priorityKey: '2' }, /^priority\.priorityKey: .* got "2"$/],
    [{ fairnessKey: '' }, /^priority\.fairnessKey: must be a non-empty string$/],
    [{ fairnessKey: 'é'.repeat(33) }, /^priority\.fairnessKey: at most 64 bytes$/],
    [{ fairnessWeight: 0 }, /^priority\.fairnessWeight: must be a number from 0\.001 to 1000, got 0$/],
    [{ priorityKey: 2, urgent: true }, /^priority\.urgent: unknown field/],
    [2, /^priority: expected an object/],
  ])('refuses %j, naming the field', (raw, message) => {
    const r = checkPriority(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('keeps exactly the fields given', () => {
    expect(checkPriority({ priorityKey: 5, fairnessKey: 'm-1', fairnessWeight: 0.5 })).toEqual({
      ok: true,
      value: { priorityKey: 5, fairnessKey: 'm-1', fairnessWeight: 0.5 },
    });
    expect(checkPriority({ priorityKey: 1 })).toEqual({ ok: true, value: { priorityKey: 1 } });
  });
});

describe('bulk fairness keys', () => {
  it('is the bulkId up to 64 characters; longer ids keep a prefix and a hash, distinct and stable', () => {
    expect(bulkFairnessKey('merchant-7-2026-12-06')).toBe('merchant-7-2026-12-06');
    const a = bulkFairnessKey(`${'x'.repeat(70)}-a`);
    const b = bulkFairnessKey(`${'x'.repeat(70)}-b`);
    expect(a).toHaveLength(FAIRNESS_KEY_MAX_BYTES);
    expect(a).not.toBe(b);
    expect(bulkFairnessKey(`${'x'.repeat(70)}-a`)).toBe(a);
  });

  it("children copy the parent's key and fairness key; a parent without them gives the bulk defaults", () => {
    expect(bulkPriority('B1')).toEqual({ priorityKey: 4, fairnessKey: 'B1' });
    expect(bulkChildPriority({ priorityKey: 3, fairnessKey: 'm-1', fairnessWeight: 2 }, 'B1')).toEqual({
      priorityKey: 3,
      fairnessKey: 'm-1',
    });
    // What a worker decodes for a workflow started with no priority.
    expect(bulkChildPriority({ priorityKey: 0, fairnessKey: '' }, 'B1')).toEqual(bulkPriority('B1'));
    expect(bulkChildPriority(undefined, 'B1')).toEqual(bulkPriority('B1'));
  });
});

it('the dev server gets the priority matcher and fairness as JSON values', () => {
  expect(dynamicConfigArgs()).toEqual([
    '--dynamic-config-value',
    'matching.useNewMatcher=true',
    '--dynamic-config-value',
    'matching.enableFairness=true',
  ]);
});
