import type { StartReport } from '../cancellation-client';

const at = (d?: Date) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : 'an unknown time');

/** The first line `start` prints: started, attached to the running cancellation, or already cancelled earlier. */
export function startLine(workflowId: string, r: StartReport): string {
  if (r.alreadyCancelled) {
    const e = r.alreadyCancelled;
    return (
      `${workflowId}: already cancelled by an earlier run (run ${e.runId}, ended ${e.outcome} at ${at(e.endedAt)}); ` +
      'nothing started, the merchant is not told again (--again starts a new run anyway)'
    );
  }
  const a = r.attachedTo;
  if (!a) return `started ${workflowId}`;
  const what = a.reason
    ? `with reason ${a.reason.code}${a.reason.note ? ` ("${a.reason.note}")` : ''}${a.requestedBy ? `, by ${a.requestedBy}` : ''}`
    : `its input cannot be read here: ${a.unreadable}`;
  return `attached to the running cancellation ${workflowId} (started ${at(a.startedAt)}${a.reason ? ' ' : '; '}${what})`;
}

/** The warning (stderr) when this start asked for something else than the running cancellation it attached to. */
export function attachWarning(r: StartReport): string | undefined {
  const a = r.attachedTo;
  if (!a || a.differences.length === 0) return undefined;
  return (
    `warning: this start asked for other options than the running cancellation, whose options apply ` +
    `(abort it and start again to change them): ${a.differences.join('; ')}`
  );
}

/** `start --json` without --wait: one object saying whether it started, attached, or found the order cancelled. */
export function startJson(workflowId: string, runId: string | undefined, r: StartReport): Record<string, unknown> {
  return { workflowId, runId, ...r };
}
