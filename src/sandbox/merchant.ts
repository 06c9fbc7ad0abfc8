import { createHmac, timingSafeEqual } from 'node:crypto';
import { SimServer, type Routed, type SimRequest } from './sim-server';

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
 * A merchant's webhook receiver: checks the HMAC signature, records each event once per Idempotency-Key.
 * Routes are the event types, so a fault can target e.g. `cancellation.hold_requested` for one order.
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

  /** Event types received for one order, in order. */
  typesFor(orderId: string): string[] {
    return this.events.filter((e) => e.orderId === orderId).map((e) => e.type);
  }

  override reset(): void {
    super.reset();
    this.events.length = 0;
    this.seen.clear();
    this.duplicates = 0;
  }

  protected route(req: SimRequest): Routed | undefined {
    if (req.method !== 'POST' || '/' + req.segments.join('/') !== MERCHANT_WEBHOOK_PATH) return undefined;
    const event = req.json as Partial<ReceivedEvent> | undefined;
    const route = typeof event?.type === 'string' ? event.type : 'invalid';
    const orderIds = typeof event?.orderId === 'string' ? [event.orderId] : [];
    return { route, orderIds, handle: () => this.receive(req, event) };
  }

  private receive(req: SimRequest, event: Partial<ReceivedEvent> | undefined) {
    const sig = String(req.headers['x-signature'] ?? '');
    const expected = 'sha256=' + createHmac('sha256', this.opts.secret).update(req.body).digest('hex');
    const ok = sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
    if (!ok) return { status: 401, body: { error: 'bad signature' } };
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
