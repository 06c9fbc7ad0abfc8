import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec } from '../../../src/codec';
import { payloadsToJson } from '../../../src/codec/payload-json';
import { startCodecServer, type CodecServer } from '../../../src/codec/server';

const keyA = { id: 'a', key: randomBytes(32) };
const UI = 'http://localhost:8233';
let server: CodecServer;
beforeAll(async () => {
  server = await startCodecServer({ keys: [keyA], corsOrigins: [UI], token: 's3cret' }, { port: 0 });
});
afterAll(() => server?.close());

const auth = { Authorization: 'Bearer s3cret', 'X-Namespace': 'default', 'Content-Type': 'application/json' };
const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  fetch(server.url + path, { method: 'POST', headers, body: JSON.stringify(body) });

test('decode turns an encrypted payload back into the JSON the workflow saw; encode is its inverse', async () => {
  const [enc] = await new EncryptionCodec([keyA]).encode([defaultPayloadConverter.toPayload({ note: 'hello' })]);
  const res = await post('/decode', payloadsToJson([enc]));
  expect(res.status).toBe(200);
  const { payloads } = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
  expect(Buffer.from(payloads[0].metadata.encoding, 'base64').toString()).toBe('json/plain');
  expect(JSON.parse(Buffer.from(payloads[0].data, 'base64').toString())).toEqual({ note: 'hello' });
  const encoded = (await (await post('/encode', { payloads })).json()) as { payloads: { data: string }[] };
  expect(Buffer.from(encoded.payloads[0].data, 'base64').toString()).not.toContain('hello');
  const again = (await (await post('/decode', encoded)).json()) as typeof encoded;
  expect(JSON.parse(Buffer.from(again.payloads[0].data, 'base64').toString())).toEqual({ note: 'hello' });
});

test('the bearer token is required when configured', async () => {
  const { Authorization: _, ...noAuth } = auth;
  expect((await post('/decode', { payloads: [] }, noAuth)).status).toBe(401);
  expect((await post('/decode', { payloads: [] }, { ...auth, Authorization: 'Bearer wrong' })).status).toBe(401);
  expect((await post('/decode', { payloads: [] })).status).toBe(200);
});

test("CORS: the Web UI's origin gets a preflight answer, another origin does not", async () => {
  const preflight = (origin: string) =>
    fetch(server.url + '/decode', {
      method: 'OPTIONS',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'x-namespace',
      },
    });
  const ok = await preflight(UI);
  expect(ok.status).toBe(204);
  expect(ok.headers.get('access-control-allow-origin')).toBe(UI);
  expect(ok.headers.get('access-control-allow-headers')).toMatch(/X-Namespace/);
  expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
  expect((await preflight('https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
});

test('bad requests get a one-line JSON error; an unknown key id is named', async () => {
  const [enc] = await new EncryptionCodec([{ id: 'gone', key: randomBytes(32) }]).encode([
    defaultPayloadConverter.toPayload(1),
  ]);
  const unknown = await post('/decode', payloadsToJson([enc]));
  expect(unknown.status).toBe(422);
  expect(await unknown.json()).toEqual({
    error: 'payload is encrypted with key id "gone", which is not in PAYLOAD_ENCRYPTION_KEYS',
  });
  const notJson = await fetch(server.url + '/decode', { method: 'POST', headers: auth, body: '{' });
  expect([notJson.status, await notJson.json()]).toEqual([400, { error: 'body is not JSON' }]);
  expect((await post('/decode', { nope: 1 })).status).toBe(400);
  expect((await fetch(server.url + '/decode', { headers: auth })).status).toBe(405);
  expect((await post('/other', { payloads: [] })).status).toBe(404);
});
