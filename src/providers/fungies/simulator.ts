import { randomUUID } from 'node:crypto';
import { SimServer, type Routed, type SimOrder, type SimRequest, type SimResponse } from '../../sandbox/sim-server';

/** Statuses the simulator lets a cancel through. */
export const FUNGIES_SIM_CANCELLABLE = ['PENDING', 'UNPAID', 'PAID'];

/** Fungies simulator: `PATCH /v0/orders/{id}/cancel` (route `cancel`), `GET /v0/orders/{id}` (route `lookup`). */
export class FungiesSim extends SimServer {
  readonly name = 'fungies';
  /** Send every error answer with HTTP 200, as Fungies' official client warns the real API sometimes does. */
  errorsWithStatus200 = false;

  constructor(private readonly keys: { publicKey: string; secretKey: string }) {
    super();
  }

  override reset(): void {
    super.reset();
    this.errorsWithStatus200 = false;
  }

  protected route(req: SimRequest): Routed | undefined {
    const [v0, orders, id, action, ...rest] = req.segments;
    if (v0 !== 'v0' || orders !== 'orders' || id === undefined || rest.length > 0) return undefined;
    if (req.method === 'PATCH' && action === 'cancel') {
      return { route: 'cancel', orderIds: [id], handle: () => this.guard(req, true, () => this.cancel(id)) };
    }
    if (req.method === 'GET' && action === undefined) {
      return { route: 'lookup', orderIds: [id], handle: () => this.guard(req, false, () => this.lookup(id)) };
    }
    return undefined;
  }

  // Public key on every request; the secret key on writes (absent → 403 missing permission, wrong → 401).
  private guard(req: SimRequest, write: boolean, next: () => SimResponse): SimResponse {
    if (req.headers['x-fngs-public-key'] !== this.keys.publicKey) return this.error(401, 'Invalid API key');
    const secret = req.headers['x-fngs-secret-key'];
    if (write && secret === undefined) return this.error(403, 'This API key does not have write permission');
    if (write && secret !== this.keys.secretKey) return this.error(401, 'Invalid API key');
    return next();
  }

  private cancel(id: string): SimResponse {
    const order = this.orders.get(id);
    if (!order) return this.error(404, 'Order not found');
    if (!FUNGIES_SIM_CANCELLABLE.includes(order.status)) {
      return this.error(400, `Order with status ${order.status} cannot be cancelled`);
    }
    order.status = 'CANCELLED';
    return { status: 200, body: { status: 'success', data: { order: orderBody(order) } } };
  }

  private lookup(id: string): SimResponse {
    const order = this.orders.get(id);
    if (!order) return this.error(404, 'Order not found');
    return { status: 200, body: { status: 'success', data: { order: orderBody(order) } } };
  }

  private error(status: number, message: string): SimResponse {
    return { status: this.errorsWithStatus200 ? 200 : status, body: { status: 'error', error: { message } } };
  }
}

/** The order object as Fungies documents it. */
function orderBody(o: SimOrder): Record<string, unknown> {
  return {
    object: 'order',
    id: o.id,
    number: `#${o.id.slice(0, 8)}`,
    status: o.status,
    value: 1999,
    tax: 0,
    fee: 0,
    totalItems: 1,
    country: 'US',
    currency: 'USD',
    currencyDecimals: 2,
    createdAt: Date.now(),
    userId: randomUUID(),
    user: null,
    orderNumber: `#${o.id.slice(0, 8)}`,
  };
}
