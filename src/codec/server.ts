import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { CodecServerEnv } from '../config/codec-server';
import { PayloadEncryptionError } from '../contract/errors';
import { EncryptionCodec } from './encryption-codec';
import { payloadsFromJson, payloadsToJson } from './payload-json';

/** Largest request body read (the UI sends a page of payloads; a payload is at most a few MiB). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface CodecServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Temporal's codec-server protocol: `POST /encode` and `POST /decode` with `{ payloads }`, an `X-Namespace` header,
 * CORS for the configured Web UI origins and an optional bearer token. Listens on loopback unless `host` is given.
 */
export async function startCodecServer(
  env: CodecServerEnv,
  opts: { port?: number; host?: string } = {},
): Promise<CodecServer> {
  const codec = new EncryptionCodec(env.keys);
  const server = createServer((req, res) => {
    handle(env, codec, req, res).catch((err: unknown) => {
      const status = err instanceof HttpError ? err.status : err instanceof PayloadEncryptionError ? 422 : 500;
      const message =
        err instanceof HttpError || err instanceof PayloadEncryptionError ? err.message : 'internal error';
      send(res, status, { error: message });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 8888, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    server,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

async function handle(env: CodecServerEnv, codec: EncryptionCodec, req: IncomingMessage, res: ServerResponse) {
  cors(env, req, res);
  if (req.method === 'OPTIONS') return send(res, 204);
  const route = (req.url ?? '').split('?')[0].replace(/\/+$/, '');
  const op = route.endsWith('/encode') ? 'encode' : route.endsWith('/decode') ? 'decode' : undefined;
  if (!op) throw new HttpError(404, 'not found: POST /encode or /decode');
  if (req.method !== 'POST') throw new HttpError(405, `${op} takes POST`);
  if (env.token && !bearerMatches(req.headers.authorization, env.token)) {
    throw new HttpError(401, 'missing or wrong bearer token');
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (err) {
    throw err instanceof HttpError ? err : new HttpError(400, 'body is not JSON');
  }
  let payloads;
  try {
    payloads = payloadsFromJson(body);
  } catch (err) {
    throw new HttpError(400, (err as Error).message);
  }
  // One key set serves every namespace; X-Namespace is accepted for the protocol's sake.
  send(res, 200, payloadsToJson(await codec[op](payloads)));
}

function cors(env: CodecServerEnv, req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  if (!origin || !(env.corsOrigins.includes(origin) || env.corsOrigins.includes('*'))) return;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, X-Namespace, Authorization');
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Access-Control-Max-Age', '600');
}

/** Constant-time comparison of the bearer token (hashing first evens out the lengths). */
function bearerMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  if (!m) return false;
  const h = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(h(m[1].trim()), h(token));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function send(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, body === undefined ? {} : { 'Content-Type': 'application/json' });
  res.end(body === undefined ? undefined : JSON.stringify(body));
}
