import { request } from 'undici';
import { FungiesSim } from '../../src/providers/fungies/simulator';

const sim = new FungiesSim({ publicKey: 'pub_ctl', secretKey: 'sec_ctl' });
beforeAll(() => sim.start());
afterAll(() => sim.stop());

async function call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
  const res = await request(sim.url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.statusCode, json: (await res.body.json()) as unknown };
}

it('a simulator in another process is seeded and given faults over its loopback control API', async () => {
  expect((await call('POST', '/__sandbox/orders', [{ id: 'o-ctl', status: 'PAID' }])).status).toBe(200);
  await call('POST', '/__sandbox/faults', { orderId: 'o-ctl', route: 'lookup', status: 503, times: 1 });
  const lookup = () => request(`${sim.url}/v0/orders/o-ctl`, { headers: { 'x-fngs-public-key': 'pub_ctl' } });
  const first = await lookup();
  await first.body.dump();
  const second = await lookup();
  await second.body.dump();
  expect([first.statusCode, second.statusCode]).toEqual([503, 200]);
  const requests = (await call('GET', '/__sandbox/requests')).json as { route: string; responseStatus: number }[];
  // Control calls are not recorded; the two lookups are, with their answers (and without their headers).
  expect(requests.map((r) => [r.route, r.responseStatus])).toEqual([
    ['lookup', 503],
    ['lookup', 200],
  ]);
  expect(JSON.stringify(requests)).not.toContain('pub_ctl');
  expect((await call('GET', '/__sandbox/nope')).status).toBe(404);
});
