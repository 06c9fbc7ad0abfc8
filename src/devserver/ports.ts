import net from 'node:net';

/** A port `npm start` is about to listen on, and how the user moves it. */
export interface PortClaim {
  port: number;
  host: string;
  /** What listens there, e.g. "codec server". */
  what: string;
  /** How to move it, e.g. "--codec-port or DEV_CODEC_PORT". */
  moveWith: string;
  /** Said after moveWith in the "already in use" line, e.g. "(the sandbox takes 7301-7307)". */
  note?: string;
}

/** A port `npm start` needs is taken (or claimed twice); the message names the port and the option that moves it. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  readonly code = 'EADDRINUSE';
}

/** The one line for a busy port. */
export function inUseMessage(c: PortClaim): string {
  return (
    `port ${c.port} (${c.what}) is already in use: is another npm start running? ` +
    `Choose another with ${c.moveWith}${c.note ? ` ${c.note}` : ''}`
  );
}

/** True when `host:port` can be listened on right now. */
export async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/** Refuse ports claimed twice, then busy ones, before anything starts (the first named fully, the others listed). */
export async function checkPortsFree(claims: readonly PortClaim[]): Promise<void> {
  const seen = new Map<number, PortClaim>();
  for (const c of claims) {
    const other = seen.get(c.port);
    if (other) {
      throw new PortInUseError(
        `port ${c.port} is asked for twice: by ${other.what} (${other.moveWith}) and ${c.what} (${c.moveWith}); ` +
          'choose ports that differ',
      );
    }
    seen.set(c.port, c);
  }
  const free = await Promise.all(claims.map((c) => portIsFree(c.port, c.host)));
  const busy = claims.filter((_, i) => !free[i]);
  if (busy.length === 0) return;
  // The others grouped by the option that moves them (the sandbox's ports move together).
  const more = new Map<string, number[]>();
  for (const c of busy.slice(1)) more.set(c.moveWith, [...(more.get(c.moveWith) ?? []), c.port]);
  const also = [...more].map(([move, ports]) => `${ports.join(', ')} (${move.split(' or ')[0]})`);
  throw new PortInUseError(inUseMessage(busy[0]) + (also.length ? `; also in use: ${also.join(', ')}` : ''));
}
