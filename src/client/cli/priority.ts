import { PRIORITY_KEY_MAX, PRIORITY_KEY_MIN } from '../../contract/priority';
import { CliError, EXIT } from './context';

/** `--priority N` as a number; out-of-range numbers are refused by the client (naming the field) before any start. */
export function priorityKey(v: string): number {
  if (!/^\d+$/.test(v)) {
    throw new CliError(
      `--priority must be a whole number from ${PRIORITY_KEY_MIN} (first) to ${PRIORITY_KEY_MAX} (last), got ${JSON.stringify(v)}`,
      EXIT.USAGE,
    );
  }
  return Number(v);
}

/** `--priority N` as the client's override (undefined when the flag is absent: the client's default applies). */
export function priorityOption(v: string | undefined): { priorityKey: number } | undefined {
  return v === undefined ? undefined : { priorityKey: priorityKey(v) };
}
