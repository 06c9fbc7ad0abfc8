import { assertShape, CANCEL_SHAPE, CANCEL_SHAPE_BEFORE, type HistoryShape } from '../../bench/lib/history';

const times = {
  totalMs: 100,
  workflowTaskMs: 80,
  workflowTaskQueueMs: 5,
  workflowTaskStickyMs: 2,
  activityMs: 10,
  activityRunMs: 9,
  activityQueueMs: 1,
};
const shape = (over: Partial<HistoryShape> = {}): HistoryShape => ({ ...CANCEL_SHAPE, ...times, ...over });

test('the bench fails loudly, naming what grew, when a cancel takes another workflow task or event', () => {
  expect(() => assertShape('cancelOrder', shape(), CANCEL_SHAPE)).not.toThrow();
  // Fewer is not a failure (a round trip removed); the findings compare with the ceiling.
  expect(() => assertShape('cancelOrder', shape({ events: 27, workflowTasks: 2 }), CANCEL_SHAPE)).not.toThrow();
  expect(() => assertShape('cancelOrder', shape({ events: 32, workflowTasks: 4 }), CANCEL_SHAPE)).toThrow(
    /^cancelOrder: the history per cancel grew beyond the expected shape \(events 32 > 29, workflowTasks 4 > 3\)/,
  );
  expect(() => assertShape('cancelOrder', shape({ activities: 2.5 }), CANCEL_SHAPE)).toThrow(/activities 2\.5 > 2/);
  expect(() => assertShape('cancelOrder', undefined, CANCEL_SHAPE)).toThrow(/no history shape was read/);
});

test('the shape of a paid cancel is the one with the steps after the pivot together; the earlier one fails it', () => {
  // 3 workflow tasks; markers: 3 patches, the hold, refund + restock + markCancelled in one; no NOTIFYING upsert.
  expect(CANCEL_SHAPE).toEqual({
    events: 29,
    workflowTasks: 3,
    activities: 2,
    localActivities: 5,
    upserts: 7,
    timers: 0,
  });
  expect(() => assertShape('cancelOrder', shape(CANCEL_SHAPE_BEFORE), CANCEL_SHAPE)).toThrow(
    /\(events 31 > 29, localActivities 6 > 5, upserts 8 > 7\)/,
  );
  expect(() => assertShape('before', shape(CANCEL_SHAPE_BEFORE), CANCEL_SHAPE_BEFORE)).not.toThrow();
});
