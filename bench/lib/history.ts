import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';

/** What one workflow run cost the server, and where its wall time went (ms). */
export interface HistoryShape {
  events: number;
  workflowTasks: number;
  activities: number;
  /** Local activities (one marker each). */
  localActivities: number;
  upserts: number;
  timers: number;
  /** First event to close event. */
  totalMs: number;
  /** Workflow tasks, scheduled to completed (queueing + worker processing). */
  workflowTaskMs: number;
  /** Workflow tasks, scheduled to started: waiting in the server's queue (normal or sticky) for a poll. */
  workflowTaskQueueMs: number;
  /** The part of workflowTaskQueueMs spent on the worker's sticky queue (tasks after the first, while cached). */
  workflowTaskStickyMs: number;
  /** Activities, scheduled to completed (queueing + run). */
  activityMs: number;
  /** Activities, started to completed (the run itself). */
  activityRunMs: number;
  /** Activities, scheduled to started: waiting in the server's queue (its rate limit, or no free poller). */
  activityQueueMs: number;
}

type Event = NonNullable<Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']>[number];
const STICKY = temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_STICKY;
const at = (e: Event | undefined): number => (e ? tsToMs(e.eventTime) : NaN);

/** Count events by kind and add up the time spent in workflow tasks and activities. */
export async function historyShape(client: Client, workflowId: string): Promise<HistoryShape> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  return shapeOfEvents(history.events ?? []);
}

/** The shape of a fetched history's events (counts and times). */
export function shapeOfEvents(events: Event[]): HistoryShape {
  const byId = new Map(events.map((e) => [String(e.eventId), e]));
  const shape: HistoryShape = {
    events: events.length,
    workflowTasks: 0,
    activities: 0,
    localActivities: 0,
    upserts: 0,
    timers: 0,
    totalMs: at(events[events.length - 1]) - at(events[0]),
    workflowTaskMs: 0,
    workflowTaskQueueMs: 0,
    workflowTaskStickyMs: 0,
    activityMs: 0,
    activityRunMs: 0,
    activityQueueMs: 0,
  };
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) {
      shape.workflowTasks += 1;
      const a = e.workflowTaskCompletedEventAttributes;
      shape.workflowTaskMs += at(e) - at(byId.get(String(a.scheduledEventId)));
      const scheduled = byId.get(String(a.scheduledEventId));
      const waited = at(byId.get(String(a.startedEventId))) - at(scheduled);
      shape.workflowTaskQueueMs += waited;
      if (scheduled?.workflowTaskScheduledEventAttributes?.taskQueue?.kind === STICKY) {
        shape.workflowTaskStickyMs += waited;
      }
    } else if (e.activityTaskCompletedEventAttributes) {
      const a = e.activityTaskCompletedEventAttributes;
      shape.activities += 1;
      shape.activityMs += at(e) - at(byId.get(String(a.scheduledEventId)));
      shape.activityRunMs += at(e) - at(byId.get(String(a.startedEventId)));
      shape.activityQueueMs += at(byId.get(String(a.startedEventId))) - at(byId.get(String(a.scheduledEventId)));
    } else if (e.markerRecordedEventAttributes) {
      shape.localActivities += 1;
    } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      shape.upserts += 1;
    } else if (e.timerStartedEventAttributes) {
      shape.timers += 1;
    }
  }
  return shape;
}

/** Mean of each field over several runs. */
export function meanShape(shapes: HistoryShape[]): HistoryShape {
  const out = { ...shapes[0] };
  for (const k of Object.keys(out) as (keyof HistoryShape)[]) {
    out[k] = shapes.reduce((s, x) => s + x[k], 0) / shapes.length;
  }
  return out;
}

/** The counted parts of a history shape (times left out). */
export type ShapeCounts = Pick<HistoryShape, 'events' | 'workflowTasks' | 'activities' | 'localActivities' | 'upserts' | 'timers'>;

/**
 * cancelOrder's happy path for a paid Fungies order: 29 events, 3 workflow tasks, the lookup and the pivot as the two
 * regular activities (on the provider's task queue, so not eagerly dispatched), 5 markers (3 patch markers, the hold,
 * and the three steps after the pivot in one local activity), 7 search-attribute upserts (one per patch marker, then
 * HOLDING, CANCELLING_AT_PROVIDER, FINALIZING, CANCELLED: the start's attributes are not set again), no timer. A
 * change that adds a round trip or an event fails the bench (assertShape); if the change is deliberate, update these
 * figures with it.
 */
export const CANCEL_SHAPE: ShapeCounts = {
  events: 29,
  workflowTasks: 3,
  activities: 2,
  localActivities: 5,
  upserts: 7,
  timers: 0,
};

/**
 * The shape before the steps after the pivot ran together ('final-steps-together-v1'): 31 events, 6 markers (2 patch
 * markers and 4 local activities, one per merchant step), 8 upserts. For a bundle built before it (the `before`
 * variant of the worker section).
 */
export const CANCEL_SHAPE_BEFORE: ShapeCounts = {
  events: 31,
  workflowTasks: 3,
  activities: 2,
  localActivities: 6,
  upserts: 8,
  timers: 0,
};

/** What grew beyond `expected` (mean over the runs looked at), e.g. `workflowTasks 3 > 2`; empty when nothing did. */
export function shapeGrowth(shape: HistoryShape, expected: ShapeCounts): string[] {
  return (Object.keys(expected) as (keyof ShapeCounts)[])
    .filter((k) => shape[k] > expected[k])
    .map((k) => `${k} ${Number(shape[k].toFixed(2))} > ${expected[k]}`);
}

/** Throw (failing the section, and the bench run) when a scenario's history grew beyond the expected shape. */
export function assertShape(name: string, shape: HistoryShape | undefined, expected: ShapeCounts): void {
  if (!shape) throw new Error(`${name}: no history shape was read`);
  const grown = shapeGrowth(shape, expected);
  if (grown.length) {
    throw new Error(
      `${name}: the history per cancel grew beyond the expected shape (${grown.join(', ')}); a round trip or event ` +
        'was added. If that is deliberate, update CANCEL_SHAPE in bench/lib/history.ts.',
    );
  }
}
