import { NEEDS_ATTENTION_EVENT, OUTCOME_EVENT, PROVIDER_STATE_UNKNOWN } from '../../src/contract';
import {
  attentionData,
  attentionKey,
  markCancelledData,
  operatorTimeoutMs,
  OUTCOME_MESSAGE,
  outcomeData,
  outcomeEvent,
  planFinalSteps,
} from '../../src/workflows/shared/rules';

// The saga rules both workflows share, as plain functions (the time-skipping tests run them through the workflows).

const error = { type: 'ProviderTransientError', message: 'HTTP 503' };

describe('planFinalSteps', () => {
  it('refunds only a paid order whose refund was not declined', () => {
    expect(planFinalSteps(undefined, true).steps).toEqual(['refund', 'restock', 'markCancelled']);
    expect(planFinalSteps({}, false)).toEqual({
      steps: ['restock', 'markCancelled'],
      notes: ['no refund: order not known to be paid'],
    });
    expect(planFinalSteps({}, undefined).steps).toEqual(['restock', 'markCancelled']);
    expect(planFinalSteps({ refund: false }, true)).toEqual({
      steps: ['restock', 'markCancelled'],
      notes: ['refund not requested (options.refund=false)'],
    });
  });

  it('restocks unless declined and always marks cancelled', () => {
    expect(planFinalSteps({ restock: false }, false).steps).toEqual(['markCancelled']);
    expect(planFinalSteps({ restock: true, refund: true }, true).steps).toEqual(['refund', 'restock', 'markCancelled']);
  });

  it('leaves out what the provider did with the cancel, and says so', () => {
    expect(planFinalSteps({}, true, ['refund'], 'shopify')).toEqual({
      steps: ['restock', 'markCancelled'],
      notes: ['refund done by shopify with the cancel'],
    });
    expect(planFinalSteps({}, true, ['refund', 'restock'], 'shopify').steps).toEqual(['markCancelled']);
  });
});

describe('event data', () => {
  it('markCancelled: notifyCustomer defaults to true', () => {
    const reason = { code: 'customer_request' };
    expect(markCancelledData(undefined, reason)).toEqual({ outcome: 'CANCELLED', notifyCustomer: true, reason });
    expect(markCancelledData({ notifyCustomer: false }, reason)).toMatchObject({ notifyCustomer: false });
  });

  it('needs_attention: numbered keys; step and error, plus the unknown provider state when an answer was lost', () => {
    expect(attentionKey(3)).toBe('needs_attention.3');
    expect(attentionData('refund', error)).toEqual({ step: 'refund', error });
    expect(attentionData('cancel', error, true, { batch: 2 })).toEqual({
      step: 'cancel',
      error,
      batch: 2,
      providerState: 'unknown',
      message: PROVIDER_STATE_UNKNOWN,
    });
  });

  it('outcome: the outcome event, but needs_attention (never aborted) while the provider state is unknown', () => {
    expect(outcomeEvent('ABORTED', false)).toBe(OUTCOME_EVENT.ABORTED);
    expect(outcomeEvent('REJECTED', true)).toBe('cancellation.rejected');
    expect(outcomeEvent('ABORTED', 'unknown')).toBe(NEEDS_ATTENTION_EVENT);
    expect(
      outcomeData({ outcome: 'ABORTED', message: 'm', providerCancelled: true, extra: { skipped: ['refund'] } }),
    ).toEqual({ outcome: 'ABORTED', message: 'm', error: undefined, providerCancelled: true, skipped: ['refund'] });
    expect(outcomeData({ outcome: 'ABORTED', message: 'm', error, providerCancelled: 'unknown' })).toEqual({
      outcome: 'ABORTED',
      message: 'm',
      error,
      providerCancelled: 'unknown',
      step: 'cancel',
      providerState: 'unknown',
    });
  });
});

describe('operatorTimeoutMs', () => {
  it('is 72 h unless the caller sets operatorTimeout', () => {
    expect(operatorTimeoutMs(undefined)).toBe(72 * 3_600_000);
    expect(operatorTimeoutMs({ operatorTimeout: '30m' })).toBe(1_800_000);
    expect(operatorTimeoutMs({ operatorTimeout: 5000 })).toBe(5000);
  });
});

describe('OUTCOME_MESSAGE', () => {
  it('spells each outcome the same for both workflows', () => {
    expect(OUTCOME_MESSAGE.abortedAfterPivot('late', ['restock', 'markCancelled'])).toBe(
      'aborted after the provider cancelled the order (cannot be undone): late; skipped: restock, markCancelled',
    );
    expect(OUTCOME_MESSAGE.abortedUnknown('stop', 'Fincart')).toBe(
      'aborted while the provider state was unknown: stop; the hold stays: check the order at Fincart and release or ' +
        'finish it by hand',
    );
    expect(OUTCOME_MESSAGE.abortedUnknown('stop', 'ecom', 'ops')).toMatch(/^aborted by ops while/);
    expect(OUTCOME_MESSAGE.merchantRefusedHold('packed')).toBe('merchant refused the hold: packed');
    expect(OUTCOME_MESSAGE.providerRefused('ecom', 'shipped')).toBe('ecom refused the cancel: shipped');
    expect(OUTCOME_MESSAGE.confirmedCancelled('the provider', 'ops')).toBe(
      'confirmed cancelled at the provider by ops',
    );
    expect(OUTCOME_MESSAGE.confirmedNotCancelled('Fincart', undefined, 'still pending')).toBe(
      'confirmed NOT cancelled at Fincart (still pending)',
    );
  });
});
