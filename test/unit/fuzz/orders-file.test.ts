import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { OrdersFileError, parseOrders, readOrdersFile } from '../../../src/client/orders-file';
import { orderIdSchema } from '../../../src/contract';
import { params } from '../../helpers/fuzz';

const dir = mkdtempSync(path.join(tmpdir(), 'orders-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (content: Buffer | string) => {
  const p = path.join(dir, `f${++n}.txt`);
  writeFileSync(p, content);
  return p;
};

/** Ids the reader must return unchanged: printable, no comma, quote or surrounding space, not `.` or `..`. */
const plainId = fc
  .string({ minLength: 1, maxLength: 60, unit: fc.constantFrom(...'abcXYZ0189-_./:#?%é中😀') })
  .filter(
    (s) => s.trim() === s && s !== '' && s !== '.' && s !== '..' && !s.includes(',') && s.toLowerCase() !== 'order_id',
  );

test('well-formed lists come back as exactly their ids, whatever BOM, CRLF, blank lines or CSV form', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(plainId, { minLength: 1, maxLength: 40 }),
      fc.boolean(),
      fc.constantFrom('\n', '\r\n'),
      fc.boolean(),
      fc.nat({ max: 3 }),
      async (ids, bom, eol, csv, blanks) => {
        const lines = csv ? ['order_id', ...ids.map((id) => `"${id.replace(/"/g, '""')}"`)] : ids;
        const body = lines.flatMap((l) => [l, ...Array<string>(blanks).fill('')]).join(eol);
        const got = await readOrdersFile(file((bom ? '\uFEFF' : '') + body + eol));
        expect(got.map((o) => o.orderId)).toEqual(ids);
      },
    ),
    params(200),
  );
});

test('random bytes and text: either valid ids, or an OrdersFileError naming a line', async () => {
  const line = fc.oneof(
    plainId,
    fc.string({ maxLength: 200, unit: 'binary' }),
    fc.constantFrom('\0', 'a,b', '"x', 'order_id,status', '\uFEFFid'),
  );
  const text = fc.oneof(
    fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)),
    fc.string({ maxLength: 1000, unit: 'binary' }),
    fc.tuple(fc.array(line, { maxLength: 20 }), fc.constantFrom('\n', '\r\n', '\r')).map(([ls, eol]) => ls.join(eol)),
  );
  await fc.assert(
    fc.asyncProperty(text, async (content) => {
      const got = await readOrdersFile(file(content)).catch((e: unknown) => e);
      if (Array.isArray(got)) {
        expect(got.length).toBeGreaterThan(0);
        for (const o of got) expect(orderIdSchema.safeParse(o.orderId).success).toBe(true);
        return;
      }
      expect(got).toBeInstanceOf(OrdersFileError);
      expect((got as Error).message).toMatch(/line \d+|no orders/);
      expect((got as Error).message).not.toMatch(/\n/);
    }),
    params(150),
  );
});

test('100,000 lines with a bad one near the end: its line number; without it, all ids in order', () => {
  const ids = Array.from({ length: 100_000 }, (_, i) => `ORD-${i}`);
  expect(parseOrders(ids.join('\r\n'))).toHaveLength(100_000);
  const bad = [...ids];
  bad[99_990] = 'x'.repeat(201);
  expect(() => parseOrders(bad.join('\n'), 'big.txt')).toThrow(
    /^big\.txt: line 99991: order id "x{80}" must be at most 200/,
  );
  const nul = [...ids];
  nul[5] = 'A\0B';
  expect(() => parseOrders(nul.join('\n'), 'nul.txt')).toThrow(
    /^nul\.txt: line 6: .*control or invisible format characters/,
  );
});

test('a very long line is refused by number, not echoed whole', () => {
  const err = (() => {
    try {
      parseOrders(`ok-1\n${'y'.repeat(5_000_000)}\nok-2`, 'long.txt');
    } catch (e) {
      return e as Error;
    }
  })();
  expect(err?.message).toMatch(/^long\.txt: line 2: /);
  expect(err!.message.length).toBeLessThan(400);
});
