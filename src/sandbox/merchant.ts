import { createHmac, timingSafeEqual } from 'node:crypto';
import { SimServer, type Routed, type SimRequest, type SimResponse } from './sim-server';
import { MERCHANT_BATCH_TYPE, type MerchantBatchAnswer } from '../contract/events';
import { merchantEventBatchSchema } from '../contract/merchant-schemas';
import { isRefusalStatus } from '../merchant/port';

/** An event as the merchant received it (signature checked). */
export interface ReceivedEvent {
  id: string;
  type: string;
  occurredAt: string;
  workflowId: string;
  provider: string;
  orderId: string;
  data: Record<string, unknown>;
  idempotencyKey: string;
}

/** Path the receiver listens on. */
export const MERCHANT_WEBHOOK_PATH = '/webhooks/cancellation';

/**
 * A merchant's webhook receiver: checks the HMAC signature, records each event once per Idempotency-Key (a batch's
 * events: once per event id). Routes are the event types, so a fault can target e.g. `cancellation.hold_requested`
 * for one order, in a POST of its own or inside a batch (then only that event is refused or not taken); a batched
 * POST's own route is `cancellation.batch` (a fault there hits the whole POST).
 */
export class MerchantReceiverSim extends SimServer {
  readonly name = 'merchant';
  readonly events: ReceivedEvent[] = [];
  duplicates = 0;
  private readonly seen = new Set<string>();

  constructor(private readonly opts: { secret: string }) {
    super();
  }

  get webhookUrl(): string {
    return this.url + MERCHANT_WEBHOOK_PATH;
  }

  /** Batched POSTs received (signature checked). */
  batches = 0;

  /** Event types received for one order, in order. */
  typesFor(orderId: string): string[] {
    return this.events.filter((e) => e.orderId === orderId).map((e) => e.type);
  }

  override reset(): void {
    super.reset();
    this.events.length = 0;
    this.seen.clear();
    this.duplicates = 0;
    this.batches = 0;
  }

  protected route(req: SimRequest): Routed | undefined {
    if (req.method !== 'POST' || '/' + req.segments.join('/') !== MERCHANT_WEBHOOK_PATH) return undefined;
    const event = req.json as Partial<ReceivedEvent> | undefined;
    if (event?.type === MERCHANT_BATCH_TYPE) {
      const events = (req.json as { events?: { orderId?: unknown }[] }).events;
      const orderIds = Array.isArray(events)
        ? events.flatMap((e) => (typeof e?.orderId === 'string' ? [e.orderId] : []))
        : [];
      return { route: MERCHANT_BATCH_TYPE, orderIds, handle: () => this.receiveBatch(req) };
    }
    const route = typeof event?.type === 'string' ? event.type : 'invalid';
    const orderIds = typeof event?.orderId === 'string' ? [event.orderId] : [];
    return { route, orderIds, handle: () => this.receive(req, event) };
  }

  private signed(req: SimRequest): boolean {
    const sig = String(req.headers['x-signature'] ?? '');
    const expected = 'sha256=' + createHmac('sha256', this.opts.secret).update(req.body).digest('hex');
    return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
  }

  /**
   * A batched POST: each event answered on its own (`ok`, also for a duplicate; `refused` or `retry` when a fault
   * targets its type and order: a 4xx fault refuses it, any other status leaves it untaken).
   */
  private receiveBatch(req: SimRequest): SimResponse {
    if (!this.signed(req)) return { status: 401, body: { error: 'bad signature' } };
    const parsed = merchantEventBatchSchema.safeParse(req.json);
    if (!parsed.success) return { status: 400, body: { error: `not a batch: ${parsed.error.issues[0]?.message}` } };
    this.batches += 1;
    const results: MerchantBatchAnswer['results'] = parsed.data.events.map((event) => {
      const fault = this.takeFault({ route: event.type, orderIds: [event.orderId] });
      const status = fault?.status ?? (fault ? 503 : undefined);
      if (status !== undefined) {
        const reason = fault?.body ?? `injected ${status}`;
        return { eventId: event.id, result: isRefusalStatus(status) ? 'refused' : 'retry', reason };
      }
      if (this.seen.has(event.id)) {
        this.duplicates += 1;
        return { eventId: event.id, result: 'ok', duplicate: true };
      }
      this.seen.add(event.id);
      this.events.push({ ...event, idempotencyKey: event.id });
      return { eventId: event.id, result: 'ok' };
    });
    return { status: 200, body: { results } satisfies MerchantBatchAnswer };
  }

  private receive(req: SimRequest, event: Partial<ReceivedEvent> | undefined) {
    if (!this.signed(req)) return { status: 401, body: { error: 'bad signature' } };
    const key = String(req.headers['idempotency-key'] ?? '');
    if (!event || !key || typeof event.type !== 'string') return { status: 400, body: { error: 'not an event' } };
    if (this.seen.has(key)) {
      this.duplicates += 1;
      return { status: 200, body: { received: true, duplicate: true } };
    }
    this.seen.add(key);
    this.events.push({ ...(event as ReceivedEvent), idempotencyKey: key });
    return { status: 200, body: { received: true } };
  }
}
