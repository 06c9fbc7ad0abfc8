import type { Priority } from '@temporalio/common';

/**
 * Task priority and fairness (Temporal's `priority` start option): the defaults and the check of a caller's
 * override. Plain constants and functions (no zod): the workflow code imports this file.
 */
export type { Priority };

/** Temporal's range: 1 is dispatched first, 5 last; a workflow started without a key gets 3. */
export const PRIORITY_KEY_MIN = 1;
export const PRIORITY_KEY_MAX = 5;
/** Temporal limits a fairness key to 64 bytes. */
export const FAIRNESS_KEY_MAX_BYTES = 64;

/** A single cancel a backend (or the CLI) starts: a customer may be waiting, so ahead of bulk work. */
export const INTERACTIVE_PRIORITY: Readonly<Priority> = { priorityKey: 2 };
/** A bulk's parent and its children (cancelOrder or batches): behind interactive cancels. */
export const BULK_PRIORITY_KEY = 4;

/** A bulk's fairness key: its bulkId (over 64 characters: a prefix and a hash of the whole id). */
export function bulkFairnessKey(bulkId: string): string {
  if (bulkId.length <= FAIRNESS_KEY_MAX_BYTES) return bulkId; // bulk ids are ASCII: one byte per character
  return `${bulkId.slice(0, FAIRNESS_KEY_MAX_BYTES - 9)}~${fnv1a(bulkId)}`;
}

/** Default priority of a bulk: BULK_PRIORITY_KEY, fair to other bulks by its bulkId. */
export function bulkPriority(bulkId: string): Priority {
  return { priorityKey: BULK_PRIORITY_KEY, fairnessKey: bulkFairnessKey(bulkId) };
}

/**
 * What a bulk gives each child: the parent's key and fairness key (a caller's override survives), the bulk
 * defaults when the parent has none (e.g. started by a raw client). The weight is inherited from the parent.
 */
export function bulkChildPriority(parent: Priority | undefined, bulkId: string): Priority {
  return {
    priorityKey: parent?.priorityKey || BULK_PRIORITY_KEY,
    fairnessKey: parent?.fairnessKey || bulkFairnessKey(bulkId),
  };
}

/** Check a caller's priority override; the message names the field (`priority.priorityKey: ...`). */
export function checkPriority(
  raw: unknown,
  field = 'priority',
): { ok: true; value: Priority } | { ok: false; error: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, error: `${field}: expected an object like { priorityKey: 2 }` };
  }
  const { priorityKey, fairnessKey, fairnessWeight, ...rest } = raw as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length) {
    return { ok: false, error: `${field}.${unknown[0]}: unknown field (priorityKey, fairnessKey, fairnessWeight)` };
  }
  if (
    priorityKey !== undefined &&
    !(
      Number.isInteger(priorityKey) &&
      (priorityKey as number) >= PRIORITY_KEY_MIN &&
      (priorityKey as number) <= PRIORITY_KEY_MAX
    )
  ) {
    return {
      ok: false,
      error: `${field}.priorityKey: must be a whole number from ${PRIORITY_KEY_MIN} (first) to ${PRIORITY_KEY_MAX} (last), got ${JSON.stringify(priorityKey)}`,
    };
  }
  if (fairnessKey !== undefined) {
    if (typeof fairnessKey !== 'string' || fairnessKey.length === 0) {
      return { ok: false, error: `${field}.fairnessKey: must be a non-empty string` };
    }
    if (utf8Bytes(fairnessKey) > FAIRNESS_KEY_MAX_BYTES) {
      return { ok: false, error: `${field}.fairnessKey: at most ${FAIRNESS_KEY_MAX_BYTES} bytes` };
    }
  }
  if (
    fairnessWeight !== undefined &&
    !(typeof fairnessWeight === 'number' && fairnessWeight >= 0.001 && fairnessWeight <= 1000)
  ) {
    return {
      ok: false,
      error: `${field}.fairnessWeight: must be a number from 0.001 to 1000, got ${JSON.stringify(fairnessWeight)}`,
    };
  }
  const value: Priority = {};
  if (priorityKey !== undefined) value.priorityKey = priorityKey as number;
  if (fairnessKey !== undefined) value.fairnessKey = fairnessKey;
  if (fairnessWeight !== undefined) value.fairnessWeight = fairnessWeight;
  return { ok: true, value };
}

function utf8Bytes(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/** 32-bit FNV-1a as 8 hex digits (deterministic, no crypto: this runs in workflow code). */
function fnv1a(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
