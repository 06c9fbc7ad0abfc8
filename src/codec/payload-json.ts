import type { Payload } from '@temporalio/common';

/** A payload as the codec-server protocol carries it (proto3 JSON: bytes as base64). */
export interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** Read `{ payloads: [...] }` from a request body; throws a one-line message on any other shape. */
export function payloadsFromJson(body: unknown): Payload[] {
  const list = (body as { payloads?: unknown } | null)?.payloads;
  if (!Array.isArray(list)) throw new Error('body must be {"payloads": [...]}');
  return list.map((p: unknown, i) => {
    if (typeof p !== 'object' || p === null) throw new Error(`payloads[${i}] must be an object`);
    const { metadata = {}, data = '' } = p as JsonPayload;
    if (typeof data !== 'string' || typeof metadata !== 'object' || metadata === null) {
      throw new Error(`payloads[${i}] must have base64 "data" and a "metadata" object`);
    }
    const meta: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new Error(`payloads[${i}].metadata.${k} must be base64`);
      meta[k] = Buffer.from(v, 'base64');
    }
    return { metadata: meta, data: Buffer.from(data, 'base64') };
  });
}

/** The reverse of payloadsFromJson. */
export function payloadsToJson(payloads: Payload[]): { payloads: JsonPayload[] } {
  return {
    payloads: payloads.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
      ),
      data: Buffer.from(p.data ?? []).toString('base64'),
    })),
  };
}
