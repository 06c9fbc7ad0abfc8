import { createHash } from 'node:crypto';
import { send, tryParseJson } from '../providers/http';
import { mapLimited } from '../providers/limit';
import { say } from '../providers/redact';
import { InvalidRequestError, ProviderError } from '../contract';
import { MERCHANT_BATCH_TYPE, type MerchantEventBatch } from '../contract/events';
import { merchantBatchAnswerSchema } from '../contract/merchant-schemas';
import { eventOf, signedHeaders, webhookSecrets, type WebhookConfig } from './webhook';
import { isRefusalStatus, type EventOutcome, type HookCall, type MerchantBatchHooks } from './port';

/** Size caps of one batched POST: events and bytes of its body (MERCHANT_BATCH_MAX_EVENTS / _MAX_BYTES). */
export interface BatchCaps {
  maxEvents: number;
  maxBytes: number;
}

export const DEFAULT_BATCH_CAPS: BatchCaps = { maxEvents: 100, maxBytes: 256 * 1024 };

/** POSTs of one delivery in flight at once. */
const POSTS_AT_ONCE = 4;
/** Bytes of the envelope around the events (`{"type":…,"id":…,"events":[…]}`), with room to spare. */
const ENVELOPE_BYTES = 160;

/** One POST of a batched delivery: its calls, body and Idempotency-Key. */
export interface BatchPost {
  calls: HookCall[];
  body: string;
  key: string;
}

/** The body of one POST: the calls' events in order; its id is derived from theirs (same events → same id). */
export function batchBody(
  calls: HookCall[],
  eventJson: string[] = calls.map((c) => JSON.stringify(eventOf(c))),
): BatchPost {
  const key =
    'batch-' +
    createHash('sha256')
      .update(calls.map((c) => c.key).join('\n'))
      .digest('hex')
      .slice(0, 32);
  // The events are serialised once (splitBatches measured them): the body is `MerchantEventBatch` as JSON.
  const head = JSON.stringify({ type: MERCHANT_BATCH_TYPE, id: key } satisfies Omit<MerchantEventBatch, 'events'>);
  return { calls, body: `${head.slice(0, -1)},"events":[${eventJson.join(',')}]}`, key };
}

/** One POST's calls and their events as JSON (each serialised once). */
interface Part {
  calls: HookCall[];
  json: string[];
}

/** Split calls into POSTs within the caps (in order); an event larger than the byte cap goes alone. */
export function splitBatches(calls: HookCall[], caps: BatchCaps = DEFAULT_BATCH_CAPS): HookCall[][] {
  return splitParts(calls, caps).map((p) => p.calls);
}

function splitParts(calls: HookCall[], caps: BatchCaps): Part[] {
  const out: Part[] = [];
  let part: Part = { calls: [], json: [] };
  let bytes = ENVELOPE_BYTES;
  for (const call of calls) {
    const json = JSON.stringify(eventOf(call));
    const size = Buffer.byteLength(json) + 1;
    if (part.calls.length > 0 && (part.calls.length >= caps.maxEvents || bytes + size > caps.maxBytes)) {
      out.push(part);
      part = { calls: [], json: [] };
      bytes = ENVELOPE_BYTES;
    }
    part.calls.push(call);
    part.json.push(json);
    bytes += size;
  }
  if (part.calls.length > 0) out.push(part);
  return out;
}

type Unkeyed<T> = T extends unknown ? Omit<T, 'key'> : never;
/** Every call of a POST ended the same way. */
const all = (calls: HookCall[], outcome: Unkeyed<EventOutcome>): EventOutcome[] =>
  calls.map((c) => ({ ...outcome, key: c.key }) as EventOutcome);

/**
 * A receiver's answer to one POST, per event. 2xx: its `results` (an event left out, or an answer without results,
 * is `retry`); a 4xx other than 408/413/429 refuses every event (as it would refuse each one alone); 413 is the
 * caller's to split; 408, 429 and 5xx: every event `retry`.
 */
export function parseBatchAnswer(
  calls: HookCall[],
  status: number,
  text: string,
  redact: (s: string) => string = (s) => s,
): EventOutcome[] | 'too-large' {
  if (status === 413) return 'too-large';
  if (isRefusalStatus(status)) {
    const message = `merchant refused the batch of ${calls.length} event(s) (HTTP ${status}): ${redact(text)}`;
    return all(calls, { result: 'refused', message, status });
  }
  if (status < 200 || status >= 300) {
    return all(calls, { result: 'retry', message: `merchant answered HTTP ${status} to a batch of ${calls.length}` });
  }
  const parsed = merchantBatchAnswerSchema.safeParse(tryParseJson(text));
  if (!parsed.success) {
    const message = `merchant answered HTTP ${status} to a batch without a result per event (does it take batched delivery?)`;
    return all(calls, { result: 'retry', message });
  }
  const byId = new Map(parsed.data.results.map((r) => [r.eventId, r]));
  return calls.map((c): EventOutcome => {
    const r = byId.get(c.key);
    if (!r) return { key: c.key, result: 'retry', message: 'the merchant gave no result for this event' };
    if (r.result === 'ok') return { key: c.key, result: 'done' };
    const reason = redact(r.reason ?? '');
    if (r.result === 'refused')
      return { key: c.key, result: 'refused', message: `merchant refused ${c.type}: ${reason}` };
    return { key: c.key, result: 'retry', message: `merchant did not take ${c.type} now: ${reason}` };
  });
}

/**
 * Batched delivery: the calls in as few signed POSTs as the caps allow (each event keeps its id, the receiver
 * de-duplicates per event); a 413 splits the POST in halves. No URL → every call is skipped.
 */
export function createBatchWebhookHooks(cfg: WebhookConfig & { caps?: BatchCaps }): MerchantBatchHooks {
  const secrets = webhookSecrets(cfg);
  const caps = cfg.caps ?? DEFAULT_BATCH_CAPS;
  const post = async (calls: HookCall[], json?: string[]): Promise<EventOutcome[]> => {
    const { body, key } = batchBody(calls, json);
    let status: number;
    let text: string;
    try {
      ({ status, text } = await send(
        'merchant',
        { method: 'POST', url: cfg.url as string, headers: signedHeaders(cfg, key, body), body },
        { timeoutMs: cfg.timeoutMs ?? 10_000, dispatcher: cfg.dispatcher }, // answers up to send's 1 MiB default
      ));
    } catch (err) {
      if (err instanceof InvalidRequestError) throw err;
      if (!(err instanceof ProviderError)) throw err;
      return all(calls, { result: 'retry', message: `merchant webhook: ${err.message}` });
    }
    const answer = parseBatchAnswer(calls, status, text, (s) => say({ orderId: '', secrets }, s) ?? '');
    if (answer !== 'too-large') return answer;
    if (calls.length === 1) {
      return all(calls, { result: 'refused', message: 'merchant refused the event as too large (HTTP 413)', status });
    }
    const mid = Math.ceil(calls.length / 2);
    return [
      ...(await post(calls.slice(0, mid), json?.slice(0, mid))),
      ...(await post(calls.slice(mid), json?.slice(mid))),
    ];
  };
  return async (calls) => {
    if (!cfg.url) return calls.map((c) => ({ key: c.key, result: 'skipped' }));
    const parts = splitParts(calls, caps);
    return (await mapLimited(parts, POSTS_AT_ONCE, (p) => post(p.calls, p.json))).flat();
  };
}
