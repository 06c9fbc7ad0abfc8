import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Server } from 'node:net';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..');

let busy: Server;
beforeAll(async () => {
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

test('codec-server on a port in use: one line naming the port and --port, exit 1', async () => {
  const port = (busy.address() as AddressInfo).port;
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin', 'cancel-orders.js'), 'codec-server', '--port', String(port)],
      {
        cwd: ROOT,
        env: { PATH: process.env.PATH, PAYLOAD_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}` },
        timeout: 60_000,
      },
      (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code) : 0, stdout, stderr }),
    ),
  );
  expect(run).toEqual({
    code: 1,
    stdout: '',
    stderr: `error: port ${port} is already in use: choose another with --port\n`,
  });
});
