import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, KEY_ID_METADATA, dataConverterFor } from '../../../src/codec';
import { encryptionKeys } from '../../../src/config/encryption';
import { loadClientEnv } from '../../../src/config';
import { PayloadEncryptionError } from '../../../src/contract';

const keyA = { id: 'a', key: randomBytes(32) };
const keyB = { id: 'b', key: randomBytes(32) };
const secret = { orderId: 'ORD-SECRET-42', reason: { code: 'other', note: 'customer phoned at 3am' } };
const plain = () => defaultPayloadConverter.toPayload(secret);
const text = (b?: Uint8Array | null) => Buffer.from(b ?? []).toString('utf8');

test('encrypts with the first key: no plaintext, key id in metadata, a fresh nonce per payload', async () => {
  const codec = new EncryptionCodec([keyA, keyB]);
  const [one, two] = await codec.encode([plain(), plain()]);
  expect(text(one.metadata?.encoding)).toBe('binary/encrypted');
  expect(text(one.metadata?.[KEY_ID_METADATA])).toBe('a');
  expect(Buffer.from(one.data!).includes('ORD-SECRET-42')).toBe(false);
  expect(Buffer.from(one.data!).equals(Buffer.from(two.data!))).toBe(false);
  const [back] = await codec.decode([one]);
  expect(defaultPayloadConverter.fromPayload(back)).toEqual(secret);
});

test('rotation: a payload of the old key decodes while the new key encrypts', async () => {
  const [old] = await new EncryptionCodec([keyA]).encode([plain()]);
  const rotated = new EncryptionCodec([keyB, keyA]);
  expect(defaultPayloadConverter.fromPayload((await rotated.decode([old]))[0])).toEqual(secret);
  const [fresh] = await rotated.encode([plain()]);
  expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe('b');
});

test("a payload whose key is not configured fails with an error naming that key id (not the keys')", async () => {
  const [old] = await new EncryptionCodec([keyA]).encode([plain()]);
  const err = await new EncryptionCodec([keyB]).decode([old]).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(PayloadEncryptionError);
  expect((err as Error).message).toBe('payload is encrypted with key id "a", which is not in PAYLOAD_ENCRYPTION_KEYS');
  const unset = await new EncryptionCodec([]).decode([old]).catch((e: unknown) => e);
  expect((unset as Error).message).toMatch(/key id "a" but PAYLOAD_ENCRYPTION_KEYS is not set/);
});

test('altered ciphertext, a relabelled key id or other key material is refused, naming the key id', async () => {
  const [p] = await new EncryptionCodec([keyA]).encode([plain()]);
  const flipped = Buffer.from(p.data!);
  flipped[20] ^= 1;
  const codec = new EncryptionCodec([keyA, keyB]);
  await expect(codec.decode([{ ...p, data: flipped }])).rejects.toThrow(/key id "a" failed authentication/);
  const relabelled = { ...p, metadata: { ...p.metadata, [KEY_ID_METADATA]: Buffer.from('b') } };
  await expect(codec.decode([relabelled])).rejects.toThrow(/key id "b" failed authentication/);
  const otherA = new EncryptionCodec([{ id: 'a', key: randomBytes(32) }]);
  await expect(otherA.decode([p])).rejects.toThrow(PayloadEncryptionError);
});

test('unset: payloads stay plain JSON, and plain payloads pass through a codec with keys (older histories)', async () => {
  const off = dataConverterFor(undefined);
  expect(off.failureConverterPath).toBeUndefined();
  expect(await off.payloadCodecs![0].encode([plain()])).toEqual([plain()]);
  expect(await new EncryptionCodec([keyA]).decode([plain()])).toEqual([plain()]);
  expect(dataConverterFor([keyA]).failureConverterPath).toMatch(/failure-converter/);
});

describe('PAYLOAD_ENCRYPTION_KEYS', () => {
  const b64 = (n: number) => randomBytes(n).toString('base64');
  test('parses a comma list in order', () => {
    const keys = encryptionKeys.parse(`new:${b64(32)}, old:${b64(32)}`)!;
    expect(keys.map((k) => k.id)).toEqual(['new', 'old']);
    expect(keys[0].key).toHaveLength(32);
    expect(encryptionKeys.parse('  ')).toBeUndefined();
  });
  test.each([
    ['k1', 'entry 1 must be keyId:base64 with a key id of [A-Za-z0-9._-]'],
    [`k1:${b64(16)}`, 'entry 1 (key id "k1") must be 32 bytes in base64'],
    [`k1:${b64(32)},k1:${b64(32)}`, 'entry 2: key id "k1" is listed twice'],
    [`k 1:${b64(32)}`, 'entry 1 must be keyId:base64 with a key id of [A-Za-z0-9._-]'],
    [`k1:${b64(32)}!`, 'entry 1 (key id "k1") must be 32 bytes in base64'],
  ])('refuses %j with a message naming the variable, never the key', (value, message) => {
    let err: unknown;
    try {
      loadClientEnv({ PAYLOAD_ENCRYPTION_KEYS: value });
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toBe(`invalid configuration: PAYLOAD_ENCRYPTION_KEYS ${message}`);
    const material = value
      .split(',')
      .map((e) => e.split(':')[1])
      .filter(Boolean);
    for (const m of material) expect((err as Error).message).not.toContain(m.slice(0, 12));
  });
});
