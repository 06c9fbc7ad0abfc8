import type http from 'node:http';
import { gzipSync } from 'node:zlib';

/** Answers a hostile or broken provider gives; the simulators send them on request (fuzzing, hostile tests). */
export interface HostileAnswer {
  /** Exactly this status, headers and body bytes (no content-type or length added unless given). */
  raw?: { status: number; headers?: Record<string, string | string[]>; body: Buffer | string };
  /** 302 to this URL (another host). */
  redirectTo?: string;
  /** 200 with headers at once, then one body byte every `dripMs` (a body slower than any body timeout). */
  dripMs?: number;
  /** 200 with `Content-Encoding: gzip`: this many bytes of JSON once decompressed (a compression bomb). */
  gzipBytes?: number;
}

/** Send the hostile answer; true when one was sent. */
export function writeHostile(res: http.ServerResponse, a: HostileAnswer, hanging: Set<http.ServerResponse>): boolean {
  if (a.raw) {
    res.writeHead(a.raw.status, a.raw.headers ?? {});
    res.end(a.raw.body);
  } else if (a.redirectTo) {
    res.writeHead(302, { location: a.redirectTo, 'content-length': 0 });
    res.end();
  } else if (a.dripMs) {
    res.writeHead(200, { 'content-type': 'application/json' });
    hanging.add(res);
    const timer = setInterval(() => res.write(' '), a.dripMs);
    res.on('close', () => {
      clearInterval(timer);
      hanging.delete(res);
    });
  } else if (a.gzipBytes) {
    const body = bomb(a.gzipBytes);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'content-length': body.length,
    });
    res.end(body);
  } else return false;
  return true;
}

const bombs = new Map<number, Buffer>();
/** Compressing tens of MB takes a while: once per size. */
function bomb(size: number): Buffer {
  let b = bombs.get(size);
  if (!b) bombs.set(size, (b = gzipSync(Buffer.from(`{"pad":"${'x'.repeat(size)}"}`))));
  return b;
}
