import { SimServer, type Routed, type SimOrder, type SimRequest, type SimResponse } from '../../sandbox/sim-server';

/** Statuses the simulator lets a cancel through (assumption: before production; FastPOD does not document it). */
export const FASTPOD_SIM_CANCELLABLE = ['draft', 'new_order', 'on_hold'];

/** FastPOD simulator: `POST /v1/orders/{id}/cancel` (route `cancel`) and `GET /v1/orders/{id}` (route `lookup`). */
export class FastpodSim extends SimServer {
  readonly name = 'fastpod';

  constructor(private readonly opts: { token: string }) {
    super();
  }

  protected route(req: SimRequest): Routed | undefined {
    const [v1, orders, id, action, ...rest] = req.segments;
    if (v1 !== 'v1' || orders !== 'orders' || id === undefined || rest.length > 0) return undefined;
    if (req.method === 'POST' && action === 'cancel') {
      return { route: 'cancel', orderIds: [id], handle: () => this.authed(req, () => this.cancel(id)) };
    }
    if (req.method === 'GET' && action === undefined) {
      return { route: 'lookup', orderIds: [id], handle: () => this.authed(req, () => this.lookup(id)) };
    }
    return undefined;
  }

  // Laravel's answer to a missing or wrong bearer token.
  private authed(req: SimRequest, next: () => SimResponse): SimResponse {
    if (req.headers.authorization !== `Bearer ${this.opts.token}`) {
      return { status: 401, body: { message: 'Unauthenticated.' } };
    }
    return next();
  }

  private cancel(id: string): SimResponse {
    const order = this.orders.get(id);
    if (!order) return { status: 404, body: { status: false, message: 'Order not found.' } };
    if (!FASTPOD_SIM_CANCELLABLE.includes(order.status)) {
      return {
        status: 422,
        body: {
          status: false,
          message: 'The given data was invalid.',
          errors: { order_status: [`The order cannot be cancelled while it is ${order.status}.`] },
        },
      };
    }
    order.status = 'cancelled';
    return { status: 200, body: { status: true, message: 'Order cancelled successfully.', data: orderBody(order) } };
  }

  private lookup(id: string): SimResponse {
    const order = this.orders.get(id);
    if (!order) return { status: 404, body: { status: false, message: 'Order not found.' } };
    return { status: 200, body: orderBody(order) };
  }
}

/** The order object as FastPOD's docs show it (the fields that matter, plus a few for realism). */
function orderBody(o: SimOrder): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: o.id,
    order_type: 'normal',
    reference_id: `ref-${o.id}`,
    order_status: o.status,
    test_order: true,
    item_total: 14.4,
    shipping_total: 24,
    order_total: 38.4,
    payment_method: 'cash',
    payment_status: o.paid ? 'paid' : 'unpaid',
    created_at: now,
    updated_at: now,
    rejected_at: null,
    rejected_status: null,
    cancelled_at: o.status === 'cancelled' ? now : null,
    line_items: [],
    shipments: [],
  };
}
