import http from 'node:http';
import type { NativeConnection, Worker, WorkerStatus } from '@temporalio/worker';

/** What the probes answer: `/healthz` (liveness: running, polling, connected) and `/readyz` (taking work). */
export interface Health {
  healthy: boolean;
  ready: boolean;
  state: string;
  connection: 'ok' | 'lost';
}

/** Decide both probes from the worker's status and whether the server answered a cheap RPC. */
export function healthOf(
  status: Pick<WorkerStatus, 'runState' | 'workflowPollerState' | 'activityPollerState'>,
  connected: boolean,
): Health {
  const polling = status.workflowPollerState === 'POLLING' && status.activityPollerState === 'POLLING';
  const running = status.runState === 'RUNNING' && polling;
  return {
    healthy: running && connected,
    ready: running,
    state: running ? 'polling' : status.runState.toLowerCase(),
    connection: connected ? 'ok' : 'lost',
  };
}

/** A probe of this worker: status plus a GetSystemInfo call bounded to `timeoutMs` (cached for `cacheMs`). */
export function workerProbe(
  worker: Pick<Worker, 'getStatus'>,
  connection: Pick<NativeConnection, 'workflowService' | 'withDeadline'>,
  { timeoutMs = 2_000, cacheMs = 1_000 } = {},
): () => Promise<Health> {
  let last: { at: number; ok: boolean } | undefined;
  const connected = async (): Promise<boolean> => {
    if (last && Date.now() - last.at < cacheMs) return last.ok;
    const ok = await connection
      .withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}))
      .then(
        () => true,
        () => false,
      );
    last = { at: Date.now(), ok };
    return ok;
  };
  return async () => {
    const status = worker.getStatus();
    // A stopping worker is unhealthy whatever the server says: no RPC needed.
    if (status.runState !== 'RUNNING') return healthOf(status, last?.ok ?? true);
    return healthOf(status, await connected());
  };
}

/** Serve `GET /healthz` and `GET /readyz` on `host:port` (node:http; JSON body for humans, status for probes). */
export async function startHealthServer(bindAddress: string, probe: () => Promise<Health>): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const route = (req.url ?? '').split('?')[0];
    if (req.method !== 'GET' || (route !== '/healthz' && route !== '/readyz')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    probe().then(
      (h) => {
        const ok = route === '/healthz' ? h.healthy : h.ready;
        res.writeHead(ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(h) + '\n');
      },
      (err: unknown) => res.writeHead(503, { 'content-type': 'text/plain' }).end(`probe failed: ${String(err)}\n`),
    );
  });
  const { host, port } = splitHostPort(bindAddress);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}

/** `host:port` or `[v6]:port` → parts (the config module already checked the shape). */
export function splitHostPort(bindAddress: string): { host: string; port: number } {
  const i = bindAddress.lastIndexOf(':');
  return { host: bindAddress.slice(0, i).replace(/^\[|\]$/g, ''), port: Number(bindAddress.slice(i + 1)) };
}

/** Close the server, dropping keep-alive probe connections. */
export async function closeServer(server: http.Server | undefined): Promise<void> {
  if (!server) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
