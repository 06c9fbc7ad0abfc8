import { redactCredentials, say } from '../../src/providers/redact';

const ctx = { orderId: 'o-1', secrets: ['known-secret-value'] };

test.each([
  ['api_key=sk_live_51HxAbCdEf123 is not valid', 'api_key=[redacted] is not valid'],
  ['retry with ?token=abc123&order=o-1', 'retry with ?token=[redacted]&order=o-1'],
  ['password = hunter2; user=ops', 'password = [redacted]; user=ops'],
  ['{"error":"bad key","api_key": "sk_test_4eC39HqLyjW"}', '{"error":"bad key","api_key": "[redacted]"}'],
  ['{"client_secret":"s3cr3t","order":"o-1"}', '{"client_secret":"[redacted]","order":"o-1"}'],
  ['body: {\\"secret\\":\\"hunter2\\"}', 'body: {\\"secret\\":"[redacted]"}'],
  ['Authorization: Bearer eyJhbGciOi.eyJzdWIiOi.sig123 refused', 'Authorization: Bearer [redacted] refused'],
  ['got Basic dXNlcjpwYXNz', 'got Basic [redacted]'],
  ['X-Api-Key: 9f8e7d6c5b4a', 'X-Api-Key: [redacted]'],
  ['the key sk_live_abcdefghij was revoked', 'the key [redacted] was revoked'],
  ['fungies said sec_12ab34cd56 and pub_9zz8yy7xx6', 'fungies said [redacted] and [redacted]'],
  ['pk_live_abc, whsec_a1b2c3d4e5', '[redacted], [redacted]'],
  [
    'callback https://ops:p4ss@merchant.example/hook failed',
    'callback https://[redacted]@merchant.example/hook failed',
  ],
  ['API_KEY=abc123 Password=xyz', 'API_KEY=[redacted] Password=[redacted]'],
])('redacts %j', (input, expected) => {
  expect(redactCredentials(input)).toBe(expected);
  // Texts pass twice (the adapter or hook, then the activity): a second pass changes nothing.
  expect(redactCredentials(expected)).toBe(expected);
});

test.each([
  'Only pending orders can be cancelled',
  'Bearer token missing',
  'token: expired',
  'order FC-1001 (status shipped) cannot be cancelled, author=Jane',
  'the pub_date field and the sk_ prefix are fine',
  'Invalid API Key',
])('keeps a plain message as it is: %j', (text) => {
  expect(redactCredentials(text)).toBe(text);
});

test('say() drops the known secrets and credential-shaped values, keeps the words, then clips', () => {
  const body = `{"message":"order not found","echo":"known-secret-value","api_key":"sk_live_123456789"}`;
  const said = say(ctx, body) as string;
  expect(said).toContain('order not found');
  expect(said).not.toContain('known-secret-value');
  expect(said).not.toContain('sk_live_');
  expect(said).toBe('{"message":"order not found","echo":"[redacted]","api_key":"[redacted]"}');
  // Redacted before clipping: a token at the cut is not left half visible.
  const long = say(ctx, 'x'.repeat(190) + ' sk_live_' + 'a'.repeat(40)) as string;
  expect(long).not.toContain('sk_live_');
  expect(say(ctx, '  ')).toBeUndefined();
});
