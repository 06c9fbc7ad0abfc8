import { randomUUID } from 'node:crypto';
import {
  SimServer,
  type Fault,
  type Routed,
  type SimOrder,
  type SimRequest,
  type SimResponse,
} from '../../sandbox/sim-server';

/**
 * A simulated order: `status` is the fulfilment status (UNFULFILLED, FULFILLED, ...) or CANCELLED. The optional
 * fields travel through the control API's `POST /__sandbox/orders` too, so another process can set them.
 */
export interface ShopifySimOrder extends SimOrder {
  /** `displayFinancialStatus`; default PAID when `paid`, else PENDING. */
  financialStatus?: string;
  closed?: boolean;
  /** Polls answering `done: false` before this order's cancel job is done (default: the simulator's `jobPolls`). */
  jobPolls?: number;
  /** Time before this order's cancel job can be done (ms; default: the simulator's `jobDelayMs`). */
  jobDelayMs?: number;
  /** The cancel job finishes without cancelling the order (a failure only the job's outcome shows). */
  jobFails?: boolean;
}

interface SimJob {
  id: string;
  orderId: string;
  polls: number;
  pollsNeeded: number;
  readyAt: number;
  done: boolean;
  fails: boolean;
}

/** Statuses the simulator lets a cancel through (the others answer an INVALID user error). */
export const SHOPIFY_SIM_CANCELLABLE = [
  'UNFULFILLED',
  'OPEN',
  'ON_HOLD',
  'SCHEDULED',
  'RESTOCKED',
  'FULFILLMENT_NOT_REQUIRED',
];
const COST = { requestedQueryCost: 10, actualQueryCost: 10, maximumAvailable: 2000, restoreRate: 100 };

/**
 * Shopify Admin GraphQL simulator: `POST /admin/api/{version}/graphql.json`, routed by operation: `cancel`
 * (orderCancel), `job` (job poll), `lookup` (order). A cancel answers a job; the job is done after `jobPolls`
 * polls and `jobDelayMs`, and only then is the order cancelled.
 */
export class ShopifySim extends SimServer {
  readonly name = 'shopify';
  readonly jobs = new Map<string, SimJob>();
  /** Polls answering `done: false` before a job is done. */
  jobPolls = 1;
  /** Time before a job can be done (ms). */
  jobDelayMs = 0;

  constructor(private readonly accessToken: string) {
    super();
  }

  /** Orders are kept by number, whether seeded as `7001` or `gid://shopify/Order/7001`. */
  override seed(orders: SimOrder[]): this {
    return super.seed(orders.map((o) => ({ ...o, id: numberOf(o.id) ?? o.id })));
  }

  override reset(): void {
    super.reset();
    this.jobs.clear();
    this.jobPolls = 1;
    this.jobDelayMs = 0;
  }

  /** Answer the next `times` calls of `route` with THROTTLED (HTTP 200), the bucket holding `available` points. */
  throttle(route: string, available: number, requested = COST.requestedQueryCost, times = 1): this {
    const body = throttledBody(requested, available, COST.restoreRate);
    return this.injectFault({ route, status: 200, body: JSON.stringify(body), times } satisfies Fault);
  }

  protected route(req: SimRequest): Routed | undefined {
    const [admin, api, version, file, ...rest] = req.segments;
    if (req.method !== 'POST' || admin !== 'admin' || api !== 'api' || file !== 'graphql.json' || rest.length)
      return undefined;
    if (!/^(\d{4}-\d{2}|unstable)$/.test(version)) return undefined;
    const { query, variables } = (req.json ?? {}) as { query?: unknown; variables?: Record<string, unknown> };
    const text = typeof query === 'string' ? query : '';
    const vars = variables ?? {};
    const guard = (next: () => SimResponse) => () => this.guard(req, next);
    if (/\borderCancel\s*\(/.test(text)) {
      return { route: 'cancel', orderIds: bothIds(vars.orderId), handle: guard(() => this.cancel(version, vars)) };
    }
    if (/\bjob\s*\(/.test(text)) {
      const job = this.jobs.get(String(vars.id));
      return {
        route: 'job',
        orderIds: job ? bothIds(job.orderId) : [],
        handle: guard(() => this.poll(String(vars.id), vars.orderId)),
      };
    }
    if (/\border\s*\(/.test(text)) {
      return { route: 'lookup', orderIds: bothIds(vars.id), handle: guard(() => this.lookup(vars.id)) };
    }
    return { route: 'unknown', orderIds: [], handle: () => gqlError('Field is not supported by the simulator') };
  }

  private guard(req: SimRequest, next: () => SimResponse): SimResponse {
    if (req.headers['x-shopify-access-token'] !== this.accessToken) {
      return {
        status: 401,
        body: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      };
    }
    if (!String(req.headers['content-type']).startsWith('application/json')) return gqlError('Expected JSON body');
    return next();
  }

  private cancel(version: string, v: Record<string, unknown>): SimResponse {
    const invalid = badCancelVariables(version, v);
    if (invalid) return gqlError(invalid, 'INVALID_VARIABLE');
    const id = numberOf(v.orderId);
    this.advanceJobsOf(id);
    const order = id ? (this.orders.get(id) as ShopifySimOrder | undefined) : undefined;
    if (!id || !order)
      return cancelAnswer(null, [{ code: 'NOT_FOUND', field: ['orderId'], message: 'Order does not exist' }]);
    // Assumption (undocumented): a repeat while the job runs answers the same job.
    const running = [...this.jobs.values()].find((j) => j.orderId === id && !j.done);
    if (running) return cancelAnswer({ id: running.id, done: false }, []);
    if (order.status === 'CANCELLED') {
      return cancelAnswer(null, [{ code: 'INVALID', field: ['orderId'], message: 'Order has already been cancelled' }]);
    }
    if (!SHOPIFY_SIM_CANCELLABLE.includes(order.status)) {
      const message = `Order with fulfillment status ${order.status} cannot be cancelled`;
      return cancelAnswer(null, [{ code: 'INVALID', field: ['orderId'], message }]);
    }
    const job: SimJob = {
      id: `gid://shopify/Job/${randomUUID()}`,
      orderId: id,
      polls: 0,
      pollsNeeded: order.jobPolls ?? this.jobPolls,
      readyAt: Date.now() + (order.jobDelayMs ?? this.jobDelayMs),
      done: false,
      fails: order.jobFails === true,
    };
    this.jobs.set(job.id, job);
    return cancelAnswer({ id: job.id, done: false }, []);
  }

  private poll(jobId: string, orderGid: unknown): SimResponse {
    const job = this.jobs.get(jobId);
    if (!job) return ok({ job: null });
    this.advance(job);
    if (!job.done) job.polls += 1;
    if (!job.done) return ok({ job: { id: job.id, done: false, query: null } });
    const id = numberOf(orderGid);
    const order = id ? this.orders.get(id) : undefined;
    return ok({
      job: {
        id: job.id,
        done: true,
        query: { order: order ? { id: orderGid, cancelledAt: cancelledAt(order) } : null },
      },
    });
  }

  /** A job is done once it answered `pollsNeeded` polls with `done: false` and its delay passed; then it acts. */
  private advance(job: SimJob): void {
    if (job.done || job.polls < job.pollsNeeded || Date.now() < job.readyAt) return;
    job.done = true;
    const order = this.orders.get(job.orderId);
    if (order && !job.fails) order.status = 'CANCELLED';
  }

  /** Jobs run on their own: a job that needs no more polls is done for every reader once its delay passed. */
  private advanceJobsOf(orderId: string | undefined): void {
    for (const job of this.jobs.values()) if (job.orderId === orderId) this.advance(job);
  }

  private lookup(gid: unknown): SimResponse {
    const id = numberOf(gid);
    this.advanceJobsOf(id);
    const order = id ? (this.orders.get(id) as ShopifySimOrder | undefined) : undefined;
    if (!order) return ok({ order: null });
    const cancelled = order.status === 'CANCELLED';
    return ok({
      order: {
        id: gid,
        cancelledAt: cancelledAt(order),
        displayFinancialStatus: order.financialStatus ?? (order.paid ? 'PAID' : 'PENDING'),
        displayFulfillmentStatus: cancelled ? 'UNFULFILLED' : order.status,
        closed: order.closed ?? cancelled,
      },
    });
  }
}

/** The order number in `gid://shopify/Order/<n>`, or undefined. */
function numberOf(gid: unknown): string | undefined {
  return typeof gid === 'string' ? /^gid:\/\/shopify\/Order\/(\d+)$/.exec(gid)?.[1] : undefined;
}

/** An order's number and global id, so faults and request filters work with either. */
function bothIds(id: unknown): string[] {
  const n = typeof id === 'string' ? (numberOf(id) ?? (/^\d+$/.test(id) ? id : undefined)) : undefined;
  return n ? [n, `gid://shopify/Order/${n}`] : [];
}

function cancelledAt(o: SimOrder): string | null {
  return o.status === 'CANCELLED' ? '2026-01-01T00:00:00Z' : null;
}

/** Why the mutation's variables do not match what `version` declares, or undefined. */
function badCancelVariables(version: string, v: Record<string, unknown>): string | undefined {
  const reasons = ['CUSTOMER', 'DECLINED', 'FRAUD', 'INVENTORY', 'OTHER', 'STAFF'];
  if (!reasons.includes(String(v.reason)))
    return 'Variable $reason of type OrderCancelReason! was provided invalid value';
  if (typeof v.restock !== 'boolean') return 'Variable $restock of type Boolean! was provided invalid value';
  const refundMethod = version >= '2025-07';
  if (refundMethod && 'refund' in v) return 'Variable $refund is not declared by this operation';
  if (!refundMethod && typeof v.refund !== 'boolean')
    return 'Variable $refund of type Boolean! was provided invalid value';
  return undefined;
}

function ok(data: unknown): SimResponse {
  const { requestedQueryCost, actualQueryCost, maximumAvailable, restoreRate } = COST;
  const throttleStatus = { maximumAvailable, currentlyAvailable: maximumAvailable - actualQueryCost, restoreRate };
  return { status: 200, body: { data, extensions: { cost: { requestedQueryCost, actualQueryCost, throttleStatus } } } };
}

function cancelAnswer(job: { id: string; done: boolean } | null, errors: unknown[]): SimResponse {
  return ok({ orderCancel: { job, orderCancelUserErrors: errors } });
}

function gqlError(message: string, code?: string): SimResponse {
  return { status: 200, body: { errors: [{ message, ...(code ? { extensions: { code } } : {}) }] } };
}

/** A THROTTLED answer as Shopify sends it: HTTP 200, no data, the bucket's state in `extensions.cost`. */
export function throttledBody(requested: number, available: number, restoreRate: number): unknown {
  return {
    errors: [
      {
        message: 'Throttled',
        extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
      },
    ],
    extensions: {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: null,
        throttleStatus: { maximumAvailable: COST.maximumAvailable, currentlyAvailable: available, restoreRate },
      },
    },
  };
}
