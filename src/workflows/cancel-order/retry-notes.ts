import { attemptFailedSignal } from '../../contract/lean';
import { setInternalSignalHandler } from '../shared/internal-messages';
import type { Tracker } from './tracker';

/**
 * Show a retrying step's last error and next attempt (status query, timeline, current details): the activity reports
 * each failed attempt, since the workflow hears nothing from the server until the step ends.
 */
export function watchRetries(tracker: Tracker): void {
  setInternalSignalHandler(attemptFailedSignal, (n) => {
    const rec = tracker.steps.find((s) => s.name === n?.step && s.status === 'running');
    if (!rec || !n.error) return; // late (the step already ended) or not ours
    rec.lastError = n.error;
    rec.note = `attempt ${n.attempt} failed; next attempt at ${n.nextAttemptAt}`;
    tracker.lastError = n.error;
    tracker.log(`${n.step}: ${rec.note} (${n.error.type}: ${n.error.message})`);
  });
}
