import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { closeServer, healthOf, splitHostPort, startHealthServer, workerProbe } from '../../src/worker/health';

const POLLING = { runState: 'RUNNING', workflowPollerState: 'POLLING', activityPollerState: 'POLLING' } as const;

describe('healthOf', () => {
  test('running and polling with the server answering: healthy and ready', () => {
    expect(healthOf(POLLING, true)).toEqual({ healthy: true, ready: true, state: 'polling', connection: 'ok' });
  });
  test('connection lost: unhealthy, still ready (it keeps polling and will reconnect)', () => {
    expect(healthOf(POLLING, false)).toMatchObject({ healthy: false, ready: true, connection: 'lost' });
  });
  test.each(['STOPPING', 'DRAINING', 'DRAINED', 'STOPPED', 'FAILED', 'INITIALIZED'] as const)(
    '%s: neither healthy nor ready',
    (runState) => {
      const h = healthOf({ runState, workflowPollerState: 'SHUTDOWN', activityPollerState: 'SHUTDOWN' }, true);
      expect(h).toMatchObject({ healthy: false, ready: false, state: runState.toLowerCase() });
    },
  );
});

describe('workerProbe', () => {
  const worker = { getStatus: () => ({ ...POLLING }) as never };
  const connection = (ok: boolean) => ({
    withDeadline: <T>(_d: number | Date, fn: () => Promise<T>) => fn(),
    workflowService: { getSystemInfo: () => (ok ? Promise.resolve({}) : Promise.reject(new Error('14 UNAVAILABLE'))) },
  });
  test('a failing GetSystemInfo call means the connection is lost', async () => {
    await expect(workerProbe(worker, connection(false) as never)()).resolves.toMatchObject({ connection: 'lost' });
    await expect(workerProbe(worker, connection(true) as never)()).resolves.toMatchObject({ connection: 'ok' });
  });
});

describe('health server', () => {
  test('/healthz and /readyz answer from the probe; anything else is 404', async () => {
    let connected = true;
    const server = await startHealthServer('127.0.0.1:0', () => Promise.resolve(healthOf(POLLING, connected)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/readyz`)).status).toBe(200);
      connected = false;
      const res = await fetch(`${base}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ connection: 'lost' });
      expect((await fetch(`${base}/metrics`)).status).toBe(404);
    } finally {
      await closeServer(server);
    }
  });
});

describe('configuration', () => {
  test('defaults: 30 s shutdown grace, health and metrics off', () => {
    const { env } = loadConfig({});
    expect(env.SHUTDOWN_GRACE_MS).toBe(30_000);
    expect(env.HEALTH_BIND_ADDRESS).toBeUndefined();
    expect(env.METRICS_BIND_ADDRESS).toBeUndefined();
  });
  test('host:port (IPv6 in brackets) is accepted and split', () => {
    const { env } = loadConfig({ HEALTH_BIND_ADDRESS: '0.0.0.0:8080', METRICS_BIND_ADDRESS: '[::1]:9464' });
    expect(splitHostPort(env.HEALTH_BIND_ADDRESS!)).toEqual({ host: '0.0.0.0', port: 8080 });
    expect(splitHostPort(env.METRICS_BIND_ADDRESS!)).toEqual({ host: '::1', port: 9464 });
    expect(loadConfig({ SHUTDOWN_GRACE_MS: '0' }).env.SHUTDOWN_GRACE_MS).toBe(0);
  });
  test.each([
    ['HEALTH_BIND_ADDRESS', '8080', 'must be host:port, e.g. 0.0.0.0:8080'],
    ['METRICS_BIND_ADDRESS', 'localhost:99999', 'must be host:port, e.g. 0.0.0.0:8080'],
    ['SHUTDOWN_GRACE_MS', '-1', 'must be >= 0'],
    ['SHUTDOWN_GRACE_MS', 'soon', 'must be a number'],
  ])('%s=%s is refused with a one-line message naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(`invalid configuration: ${name} ${message}`);
  });
});
