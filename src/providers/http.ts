import { Agent, request, errors as undiciErrors, type Dispatcher } from 'undici';
import {
  InvalidRequestError,
  ProviderAuthError,
  ProviderResponseError,
  ProviderTransientError,
  type ProviderError,
} from '../contract/errors';

/** Largest answer body we read; anything bigger is refused, not buffered. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpOptions {
  /** Total time for one request, headers and body (ms). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  maxBodyBytes?: number;
}

/** One shared keep-alive Agent per process (adapters share it unless given their own). */
let sharedAgent: Agent | undefined;
export function getSharedAgent(): Agent {
  sharedAgent ??= new Agent({
    keepAliveTimeout: 10_000,
    keepAliveMaxTimeout: 60_000,
    connect: { timeout: 5_000 },
    headersTimeout: 15_000,
    bodyTimeout: 15_000,
    connections: 128,
  });
  return sharedAgent;
}

/** Close the shared Agent (worker shutdown, test teardown). */
export async function closeSharedAgent(): Promise<void> {
  const a = sharedAgent;
  sharedAgent = undefined;
  if (a) await a.close();
}

export interface HttpRequest {
  method: Dispatcher.HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Raw body text (at most maxBodyBytes). */
  text: string;
}

/** Join a configured base URL (with or without trailing slash) and an absolute path. */
export function joinUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/**
 * Encode one id as a single path segment: '/', '?', '#' and '%' are all escaped, so the id never changes the
 * target. A bare '.' or '..' would still be resolved by URL parsing (even as %2E%2E), so those are refused.
 */
export function pathSegment(provider: string, id: string): string {
  if (id === '' || id === '.' || id === '..') {
    throw new InvalidRequestError(`${provider}: order id ${JSON.stringify(id)} cannot be used in a URL path`, {
      provider,
    });
  }
  return encodeURIComponent(id);
}

/** Parse Retry-After (seconds or HTTP date) into milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.round(Number(v.trim()) * 1000);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * Send one request and read a bounded body. Network failures, timeouts and oversize answers become typed errors;
 * the status is left for the adapter's classifier. The URL is never put in error messages (it may hold an id only,
 * but headers and bodies with credentials are never echoed either).
 */
export async function send(
  provider: string,
  req: HttpRequest,
  opts: HttpOptions & { signal?: AbortSignal; dispatcher?: Dispatcher } = {},
): Promise<HttpResponse> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const maxBody = opts.maxBodyBytes ?? MAX_BODY_BYTES;
  const deadline = new Deadline(timeoutMs, opts.signal);
  try {
    return await sendWithin(provider, req, opts, deadline, maxBody);
  } finally {
    deadline.clear();
  }
}

/**
 * The request's signal: aborted when `timeoutMs` passes or `outer` (the activity's cancellation) aborts. A timer
 * cleared when the request ends, where `AbortSignal.timeout` + `AbortSignal.any` would leave every request's timer
 * to fire (building a DOMException) and its signals alive for the whole timeout after the answer came.
 */
class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onOuterAbort?: () => void;
  timedOut = false;

  constructor(
    readonly timeoutMs: number,
    private readonly outer?: AbortSignal,
  ) {
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    if (outer?.aborted) this.controller.abort(outer.reason);
    else if (outer) {
      this.onOuterAbort = () => this.controller.abort(outer.reason);
      outer.addEventListener('abort', this.onOuterAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  clear(): void {
    clearTimeout(this.timer);
    if (this.onOuterAbort) this.outer?.removeEventListener('abort', this.onOuterAbort);
  }
}

async function sendWithin(
  provider: string,
  req: HttpRequest,
  opts: HttpOptions & { dispatcher?: Dispatcher },
  deadline: Deadline,
  maxBody: number,
): Promise<HttpResponse> {
  const { timeoutMs, signal } = deadline;
  let res: Dispatcher.ResponseData;
  try {
    res = await request(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      signal,
      dispatcher: opts.dispatcher ?? getSharedAgent(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (err) {
    throw unbuildable(provider, err) ?? transportError(provider, err, deadline.timedOut, timeoutMs);
  }
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBody) {
    res.body.destroy();
    throw new ProviderResponseError(`${provider}: answer of ${declared} bytes exceeds the ${maxBody}-byte limit`, {
      provider,
      status: res.statusCode,
    });
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      const buf = chunk as Buffer;
      size += buf.length;
      if (size > maxBody) {
        res.body.destroy();
        throw new ProviderResponseError(`${provider}: answer exceeds the ${maxBody}-byte limit`, {
          provider,
          status: res.statusCode,
        });
      }
      chunks.push(buf);
    }
  } catch (err) {
    if (err instanceof ProviderResponseError) throw err;
    throw transportError(provider, err, deadline.timedOut, timeoutMs);
  }
  return { status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') };
}

/** A request undici refused to build (bad header value, bad URL) is our own error, never a connection failure. */
function unbuildable(provider: string, err: unknown): InvalidRequestError | undefined {
  const code = (err as { code?: string } | undefined)?.code;
  if (!(err instanceof undiciErrors.InvalidArgumentError) && code !== 'ERR_INVALID_URL') return undefined;
  // undici names the header, never its value; Node's URL error keeps the input out of the message.
  return new InvalidRequestError(`${provider}: the request could not be built: ${(err as Error).message}`, {
    provider,
  });
}

/**
 * A header value safe for any id: UTF-8 percent-encoding of everything outside printable ASCII, and of '%' itself
 * (so two different values never encode alike); `decodeURIComponent` gives the original back.
 */
export function headerSafe(value: string): string {
  return value.replace(/[^\x20-\x24\x26-\x7e]/gu, (ch) =>
    [...Buffer.from(ch, 'utf8')].map((b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join(''),
  );
}

function transportError(provider: string, err: unknown, timedOut: boolean, timeoutMs: number): Error {
  if (timedOut || err instanceof undiciErrors.HeadersTimeoutError || err instanceof undiciErrors.BodyTimeoutError) {
    return new ProviderTransientError(`${provider}: no answer within ${timeoutMs} ms`, { provider });
  }
  if (err instanceof Error && err.name === 'AbortError') {
    // Cancelled by the caller (activity cancellation): surface as-is so the SDK sees the cancellation.
    return err;
  }
  const code = (err as { code?: string } | undefined)?.code;
  return new ProviderTransientError(`${provider}: connection failed${code ? ` (${code})` : ''}`, { provider });
}

/** Parse JSON text, or undefined when it is not JSON. */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Shorten a provider message for errors and timelines. */
export function clip(s: string | undefined, max = 200): string | undefined {
  if (s === undefined) return undefined;
  return s.length > max ? s.slice(0, max) + '…' : s;
}

/**
 * The answers every provider treats alike: 429 and 5xx are transient (Retry-After honoured), 401/403 are auth.
 * Returns undefined for anything else, which the adapter's own classifier decides.
 */
export function classifyCommonStatus(provider: string, res: HttpResponse, message?: string): ProviderError | undefined {
  const detail = message ? `: ${clip(message)}` : '';
  if (res.status === 429 || res.status >= 500) {
    return new ProviderTransientError(`${provider}: HTTP ${res.status}${detail}`, {
      provider,
      status: res.status,
      providerMessage: clip(message),
      retryAfterMs: parseRetryAfter(res.headers['retry-after']),
    });
  }
  if (res.status === 401 || res.status === 403) {
    return new ProviderAuthError(`${provider}: credentials refused (HTTP ${res.status})${detail}`, {
      provider,
      status: res.status,
      providerMessage: clip(message),
    });
  }
  return undefined;
}
