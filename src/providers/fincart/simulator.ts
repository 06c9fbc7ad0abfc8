import { SimServer, type Routed, type SimRequest, type SimResponse } from '../../sandbox/sim-server';

/** Error body in the shape of the documented 403 (NestJS-like: statusCode, timestamp, path, message, errors). */
function failure(status: number, path: string, message: string, errors: string[] = [message]): SimResponse {
  return { status, body: { statusCode: status, timestamp: new Date().toISOString(), path, message, errors } };
}

/** `filters.ids` when it is a list of strings; undefined otherwise. */
function readIds(req: SimRequest): string[] | undefined {
  if (!String(req.headers['content-type'] ?? '').includes('application/json')) return undefined;
  const ids = (req.json as { filters?: { ids?: unknown } } | undefined)?.filters?.ids;
  return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? ids : undefined;
}

/**
 * Simulated Fincart bulk cancel. The refusal is undocumented: assumed all-or-nothing, a 400 that does not say which
 * id failed (see docs/providers/fincart.md).
 */
export class FincartSim extends SimServer {
  readonly name = 'fincart';
  /** Times each order went from pending to cancelled (a refused call does not count). */
  private readonly cancelled = new Map<string, number>();

  constructor(private readonly opts: { token: string }) {
    super();
  }

  /** How many times Fincart cancelled this order (0 or 1 unless it was seeded pending again). */
  cancelledTimes(orderId: string): number {
    return this.cancelled.get(orderId) ?? 0;
  }

  override reset(): void {
    super.reset();
    this.cancelled.clear();
  }

  protected route(req: SimRequest): Routed | undefined {
    // Suffix match, so a base URL with a path prefix (e.g. /merchant) works against the simulator too.
    const seg = req.segments;
    if (
      req.method === 'GET' &&
      seg.length >= 4 &&
      seg.at(-1) === 'logs' &&
      seg.at(-4) === 'v4' &&
      seg.at(-3) === 'orders'
    ) {
      const id = seg.at(-2) as string;
      return { route: 'logs', orderIds: [id], handle: () => this.logs(req, id) };
    }
    if (req.method !== 'POST' || seg.slice(-3).join('/') !== 'v4/orders/cancel') return undefined;
    const ids = readIds(req);
    return { route: 'cancel', orderIds: ids ?? [], handle: () => this.cancel(req, ids) };
  }

  /** The order's logs, newest first: created as Pending/New, then one entry for its current status when it moved on. */
  private logs(req: SimRequest, id: string): SimResponse {
    const path = req.url.split('?')[0];
    if (req.headers.authorization !== this.opts.token) return failure(403, path, 'User is not authorized');
    const order = this.orders.get(id);
    if (!order) return failure(404, path, 'Order not found');
    const created = { title: 'Pending', description: 'New', createdAt: '2025-07-02T09:41:34.331Z', by: 'Merchant' };
    const title = order.status.charAt(0).toUpperCase() + order.status.slice(1);
    const logs =
      order.status === 'pending'
        ? [created]
        : [{ title, description: title, createdAt: '2025-07-02T09:42:53.400Z', by: 'Fincart' }, created];
    return { status: 200, body: { statusCode: 200, data: { logs } } };
  }

  private cancel(req: SimRequest, ids: string[] | undefined): SimResponse {
    const path = req.url.split('?')[0];
    if (req.headers.authorization !== this.opts.token) return failure(403, path, 'User is not authorized');
    if (!ids || ids.length === 0) {
      return failure(400, path, 'Bad Request', ['filters.ids must be a non-empty array of strings']);
    }
    // All-or-nothing: one unknown or non-pending id refuses the batch and nothing changes.
    if (!ids.every((id) => this.orders.get(id)?.status === 'pending')) {
      return failure(400, path, 'Orders could not be cancelled', ['Only pending orders can be cancelled']);
    }
    for (const id of ids) {
      this.orders.set(id, { ...this.orders.get(id), id, status: 'cancelled' });
      this.cancelled.set(id, this.cancelledTimes(id) + 1);
    }
    return {
      status: 200,
      body: {
        statusCode: 200,
        message: 'Bulk Orders cancelled successfully',
        data: { status: 'success', msg: 'Orders have been successfully canceled.' },
      },
    };
  }
}
