import { FINAL_STEPS, HOOK_STEPS, MERCHANT_EVENT_TYPES, STEP_EVENT } from '../../src/contract';
import { cancelStatusSchema } from '../../src/contract/result-schemas';
import { STEP_NAMES, STEPS } from '../../src/contract/steps';

test('the step table gives the status schema its step names, in the table order', () => {
  const stepName = cancelStatusSchema.shape.steps.element.shape.name;
  expect(stepName.options).toEqual(Object.keys(STEPS));
  expect(STEP_NAMES).toEqual([
    'eligibility',
    'hold',
    'cancel',
    'refund',
    'restock',
    'markCancelled',
    'releaseHold',
    'notify',
  ]);
});

test('merchant steps, their events and the final steps come from the table', () => {
  expect([...HOOK_STEPS].sort()).toEqual(['hold', 'markCancelled', 'notify', 'refund', 'releaseHold', 'restock']);
  expect(FINAL_STEPS).toEqual(['refund', 'restock', 'markCancelled']);
  expect(STEP_EVENT).toEqual({
    hold: 'cancellation.hold_requested',
    refund: 'cancellation.refund_requested',
    restock: 'cancellation.restock_requested',
    markCancelled: 'cancellation.completed',
    releaseHold: 'cancellation.hold_released',
  });
  for (const event of Object.values(STEP_EVENT)) expect(MERCHANT_EVENT_TYPES).toContain(event);
});

test('a compensation undoes a step of the table, on the same side', () => {
  for (const spec of Object.values(STEPS)) {
    if (!('undoes' in spec)) continue;
    expect(STEPS[spec.undoes as keyof typeof STEPS].side).toBe(spec.side);
  }
});
