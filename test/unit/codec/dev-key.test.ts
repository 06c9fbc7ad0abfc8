import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { encryptionKeys } from '../../../src/config/encryption';
import { loadCodecServerEnv } from '../../../src/config/codec-server';
import { devEncryptionKeys } from '../../../src/devserver/dev-key';

const dir = mkdtempSync(path.join(tmpdir(), 'dev-key-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('npm start: a dev key is generated once (owner-only file), reused, and a caller-set value wins', () => {
  const file = path.join(dir, 'sub', 'payload-keys');
  const first = devEncryptionKeys({}, file);
  expect(encryptionKeys.parse(first)).toHaveLength(1);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(devEncryptionKeys({}, file)).toBe(first);
  expect(readFileSync(file, 'utf8').trim()).toBe(first);
  expect(devEncryptionKeys({ PAYLOAD_ENCRYPTION_KEYS: 'mine:abc' }, file)).toBe('mine:abc');
});

test('codec-server config: keys required; CORS origins default to the dev UI; the token is optional', () => {
  expect(() => loadCodecServerEnv({})).toThrow(
    'invalid configuration: PAYLOAD_ENCRYPTION_KEYS is required by the codec server',
  );
  const key = `k:${Buffer.alloc(32, 1).toString('base64')}`;
  expect(loadCodecServerEnv({ PAYLOAD_ENCRYPTION_KEYS: key })).toMatchObject({
    corsOrigins: ['http://localhost:8233', 'http://127.0.0.1:8233'],
    token: undefined,
  });
  const env = loadCodecServerEnv({
    PAYLOAD_ENCRYPTION_KEYS: key,
    CODEC_SERVER_CORS_ORIGINS: 'http://ui.example, http://localhost:8080',
    CODEC_SERVER_TOKEN: 't',
  });
  expect(env).toMatchObject({ corsOrigins: ['http://ui.example', 'http://localhost:8080'], token: 't' });
});
