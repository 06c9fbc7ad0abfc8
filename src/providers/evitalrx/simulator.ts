import { SimServer, type Routed, type SimRequest, type SimResponse } from '../../sandbox/sim-server';

/** Reject reasons the simulator serves per reason_source (invented but shaped like the docs: one is `Other`). */
export const EVITALRX_SIM_REASONS = {
  pickup: [
    { id: 1, reason: 'Medicine not available' },
    { id: 2, reason: 'Prescription not valid' },
    { id: 3, reason: 'Customer requested cancellation' },
    { id: 4, reason: 'Duplicate order' },
    { id: 5, reason: 'Other' },
  ],
  delivery: [
    { id: 11, reason: 'Delivery address not serviceable' },
    { id: 12, reason: 'Customer not reachable' },
    { id: 13, reason: 'Other' },
  ],
};

const CANCELLABLE = ['assigned', 'accepted'];
const OPS: Record<string, string> = { cancel_order_v2: 'cancel', view_v2: 'lookup', reject_reasons: 'reject_reasons' };
type Fields = Record<string, unknown>;

/** "YYYY-MM-DD HH:mm:ss" in India time, like the docs' `datetime`. */
function istNow(): string {
  return new Date(Date.now() + 330 * 60_000).toISOString().slice(0, 19).replace('T', ' ');
}

/** Every eVitalRx answer is HTTP 200; the outcome is in status_code. ng_version appears on successes, as in the docs. */
function answer(code: '0' | '1' | '404', message: string, data: unknown = null): SimResponse {
  const version = code === '1' ? { ng_version: '0.0.378' } : {};
  return { status: 200, body: { status_code: code, status_message: message, datetime: istNow(), ...version, data } };
}

/** Fields from a JSON or form-urlencoded body (the adapter may send either). */
function readFields(req: SimRequest): Fields {
  const type = String(req.headers['content-type'] ?? '');
  if (type.includes('application/x-www-form-urlencoded')) return Object.fromEntries(new URLSearchParams(req.body));
  return req.json && typeof req.json === 'object' && !Array.isArray(req.json) ? (req.json as Fields) : {};
}

function text(v: unknown): string | undefined {
  if (typeof v === 'number') return String(v);
  return typeof v === 'string' && v.trim() !== '' ? v : undefined;
}

/** Simulated eVitalRx fulfillment API: cancel_order_v2, view_v2 and reject_reasons. */
export class EvitalrxSim extends SimServer {
  readonly name = 'evitalrx';

  constructor(private readonly opts: { apiKey: string }) {
    super();
  }

  protected route(req: SimRequest): Routed | undefined {
    const [parent, orders, op] = req.segments.slice(-3);
    const route = OPS[op];
    if (req.method !== 'POST' || parent !== 'fulfillment' || orders !== 'orders' || !route) return undefined;
    const fields = readFields(req);
    const orderId = text(fields.order_id);
    const orderIds = route !== 'reject_reasons' && orderId !== undefined ? [orderId] : [];
    return { route, orderIds, handle: () => this.handle(route, fields, orderId) };
  }

  private handle(route: string, f: Fields, orderId: string | undefined): SimResponse {
    if (f.apikey !== this.opts.apiKey) return answer('404', 'Invalid API Key');
    if (route === 'reject_reasons') {
      const source = f.reason_source;
      if (source !== 'pickup' && source !== 'delivery') return answer('0', 'reason_source is required');
      return answer('1', 'Reasons found.', { reasons: EVITALRX_SIM_REASONS[source] });
    }
    if (orderId === undefined) return answer('0', 'order_id is required');
    return route === 'lookup' ? this.view(orderId) : this.cancel(orderId, f);
  }

  private view(orderId: string): SimResponse {
    const order = this.orders.get(orderId);
    if (!order) return answer('0', 'No record found');
    return answer('1', 'Order found.', { order_id: order.id, overall_status: order.status });
  }

  private cancel(orderId: string, f: Fields): SimResponse {
    const reasonId = text(f.reason_id);
    if (reasonId === undefined) return answer('0', 'reason_id is required');
    const known = [...EVITALRX_SIM_REASONS.pickup, ...EVITALRX_SIM_REASONS.delivery].some(
      (r) => String(r.id) === reasonId,
    );
    if (!known) return answer('0', 'Invalid reason_id');
    const order = this.orders.get(orderId);
    if (!order) return answer('0', 'No record found');
    if (order.status === 'cancelled') return answer('0', 'Order is already cancelled.');
    if (!CANCELLABLE.includes(order.status))
      return answer('0', 'The order can not be cancelled after accepted status.');
    order.status = 'cancelled';
    return answer('1', 'Your order cancelled successfully.');
  }
}
