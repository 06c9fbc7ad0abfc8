import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeHostile, type HostileAnswer } from './hostile';

/** First path segment of the control API (never a provider route). */
export const CONTROL_PREFIX = '__sandbox';

/** One request as the simulated provider received it. */
export interface RecordedRequest {
  method: string;
  /** Raw request target (path + query) exactly as received. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** Route key the simulator matched, e.g. 'cancel', or 'unknown'. */
  route: string;
  orderIds: string[];
  at: number;
  /** Status the simulator answered with (unset while the answer is pending or never sent). */
  responseStatus?: number;
}

/** Faults injected per order id or per route; consumed `times` times (Infinity = until cleared). */
export interface Fault extends HostileAnswer {
  orderId?: string;
  route?: string;
  times?: number;
  /** Answer with this status (and `body`, or a generic error body) instead of the real answer. */
  status?: number;
  body?: string;
  /** Retry-After header value to send with the status. */
  retryAfter?: string;
  /** Extra latency before answering (ms). */
  latencyMs?: number;
  /** Never answer (until the client gives up). */
  hang?: boolean;
  /** Do what was asked, then never answer: the provider acted but its answer is lost (a crash or outage mid-call). */
  lostAnswer?: boolean;
  /** Answer 200 with a body that is not JSON. */
  malformed?: boolean;
  /** Answer with an HTML error page (as a proxy in front of the provider would). */
  html?: boolean;
  /** Answer 200 with a body of this many bytes. */
  oversizeBytes?: number;
}

export interface SimOrder {
  id: string;
  status: string;
  paid?: boolean;
}

export interface SimResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** What a provider simulator decides for a parsed request. */
export interface Routed {
  route: string;
  orderIds: string[];
  handle: () => SimResponse;
}

export interface SimRequest {
  method: string;
  url: string;
  /** Path decoded segment by segment; segments stay separate so an encoded '/' is not a separator. */
  segments: string[];
  headers: http.IncomingHttpHeaders;
  body: string;
  json: unknown;
}

/** A simulated provider: real HTTP, in-memory order book, request log and fault injection. */
export abstract class SimServer {
  abstract readonly name: string;
  readonly orders = new Map<string, SimOrder>();
  readonly requests: RecordedRequest[] = [];
  /** Extra latency on every answer (ms), e.g. for benchmarks. */
  latencyMs = 0;
  /** Keep the request log (turn off for long benchmarks). */
  recordRequests = true;
  private faults: Fault[] = [];
  private server?: http.Server;
  private readonly hanging = new Set<http.ServerResponse>();

  /** Map a request to a route and its handler; undefined → 404. */
  protected abstract route(req: SimRequest): Routed | undefined;

  /** Put orders in the book (replacing any with the same id). */
  seed(orders: SimOrder[]): this {
    for (const o of orders) this.orders.set(o.id, { ...o });
    return this;
  }

  injectFault(fault: Fault): this {
    this.faults.push({ times: 1, ...fault });
    return this;
  }

  clearFaults(): void {
    this.faults = [];
  }

  /** Requests that hit a route (optionally for one order id). */
  requestsFor(route: string, orderId?: string): RecordedRequest[] {
    return this.requests.filter((r) => r.route === route && (orderId === undefined || r.orderIds.includes(orderId)));
  }

  reset(): void {
    this.orders.clear();
    this.requests.length = 0;
    this.faults = [];
  }

  get url(): string {
    const addr = this.server?.address() as AddressInfo | null | undefined;
    if (!addr) throw new Error(`${this.name} simulator is not listening`);
    return `http://127.0.0.1:${addr.port}`;
  }

  async start(port = 0, host = '127.0.0.1'): Promise<string> {
    const server = http.createServer((req, res) => void this.onRequest(req, res));
    server.keepAliveTimeout = 30_000;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const rawUrl = req.url ?? '/';
    const pathOnly = rawUrl.split('?')[0].split('#')[0];
    const segments = pathOnly
      .split('/')
      .filter((s) => s !== '')
      .map((s) => safeDecode(s));
    let json: unknown;
    try {
      json = body ? JSON.parse(body) : undefined;
    } catch {
      json = undefined;
    }
    const simReq: SimRequest = { method: req.method ?? 'GET', url: rawUrl, segments, headers: req.headers, body, json };
    if (segments[0] === CONTROL_PREFIX) return this.write(res, this.control(simReq));
    const routed = this.route(simReq);
    let record: RecordedRequest | undefined;
    if (this.recordRequests) {
      record = {
        method: simReq.method,
        url: rawUrl,
        headers: req.headers,
        body,
        route: routed?.route ?? 'unknown',
        orderIds: routed?.orderIds ?? [],
        at: Date.now(),
      };
      this.requests.push(record);
    }
    res.on('finish', () => {
      if (record) record.responseStatus = res.statusCode;
    });
    if (!routed) return this.write(res, { status: 404, body: { message: 'Not Found' } });
    const fault = this.takeFault(routed);
    const delay = this.latencyMs + (fault?.latencyMs ?? 0);
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (fault?.lostAnswer) routed.handle();
    if (fault?.hang || fault?.lostAnswer) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    if (fault && writeHostile(res, fault, this.hanging)) return;
    if (fault?.oversizeBytes) {
      return this.writeRaw(res, 200, 'application/json', '{"pad":"' + 'x'.repeat(fault.oversizeBytes) + '"}');
    }
    if (fault?.malformed) return this.writeRaw(res, 200, 'application/json', '{"status": "succ');
    if (fault?.html) {
      return this.writeRaw(res, fault.status ?? 502, 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>');
    }
    if (fault?.status) {
      const headers: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
      const faultBody = fault.body ?? JSON.stringify({ message: `injected ${fault.status}` });
      return this.writeRaw(res, fault.status, 'application/json', faultBody, headers);
    }
    this.write(res, routed.handle());
  }

  /**
   * Control API for a simulator running in another process (npm start, npm run sandbox), on loopback only:
   * `POST /__sandbox/orders` [{id,status,paid?}], `POST /__sandbox/faults` {orderId?,route?,status?,...},
   * `DELETE /__sandbox/faults`, `GET /__sandbox/orders`, `GET /__sandbox/requests`, `POST /__sandbox/reset`.
   */
  private control(req: SimRequest): SimResponse {
    const what = `${req.method} ${req.segments.slice(1).join('/')}`;
    switch (what) {
      case 'POST orders':
        if (!Array.isArray(req.json)) return { status: 400, body: { error: 'expected an array of {id, status}' } };
        this.seed(req.json as SimOrder[]);
        return { status: 200, body: { seeded: (req.json as unknown[]).length } };
      case 'GET orders':
        return { status: 200, body: [...this.orders.values()] };
      case 'POST faults':
        if (typeof req.json !== 'object' || req.json === null)
          return { status: 400, body: { error: 'expected a fault' } };
        this.injectFault(req.json as Fault);
        return { status: 200, body: { injected: req.json } };
      case 'DELETE faults':
        this.clearFaults();
        return { status: 200, body: { cleared: true } };
      case 'GET requests':
        return { status: 200, body: this.requests.map(({ headers: _h, ...r }) => r) };
      case 'POST reset':
        this.reset();
        return { status: 200, body: { reset: true } };
      default:
        return { status: 404, body: { error: `unknown control call ${what}` } };
    }
  }

  protected takeFault(routed: Pick<Routed, 'route' | 'orderIds'>): Fault | undefined {
    const i = this.faults.findIndex(
      (f) =>
        (f.route === undefined || f.route === routed.route) &&
        (f.orderId === undefined || routed.orderIds.includes(f.orderId)),
    );
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  private write(res: http.ServerResponse, r: SimResponse): void {
    const text = r.body === undefined ? '' : JSON.stringify(r.body);
    this.writeRaw(res, r.status, 'application/json', text, r.headers);
  }

  private writeRaw(
    res: http.ServerResponse,
    status: number,
    contentType: string,
    text: string,
    headers: Record<string, string> = {},
  ): void {
    res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
