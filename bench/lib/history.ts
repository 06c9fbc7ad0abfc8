import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';

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
  /** Activities, scheduled to completed (queueing + run). */
  activityMs: number;
  /** Activities, started to completed (the run itself). */
  activityRunMs: number;
}

type Event = NonNullable<Awaited<ReturnType<ReturnType<Client['workflow']['getHandle']>['fetchHistory']>>['events']>[number];
const at = (e: Event | undefined): number => (e ? tsToMs(e.eventTime) : NaN);

/** Count events by kind and add up the time spent in workflow tasks and activities. */
export async function historyShape(client: Client, workflowId: string): Promise<HistoryShape> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
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
    activityMs: 0,
    activityRunMs: 0,
  };
  for (const e of events) {
    if (e.workflowTaskCompletedEventAttributes) {
      shape.workflowTasks += 1;
      shape.workflowTaskMs += at(e) - at(byId.get(String(e.workflowTaskCompletedEventAttributes.scheduledEventId)));
    } else if (e.activityTaskCompletedEventAttributes) {
      const a = e.activityTaskCompletedEventAttributes;
      shape.activities += 1;
      shape.activityMs += at(e) - at(byId.get(String(a.scheduledEventId)));
      shape.activityRunMs += at(e) - at(byId.get(String(a.startedEventId)));
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
