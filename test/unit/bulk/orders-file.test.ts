import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { OrdersFileError, readOrdersFile } from '../../../src/client/orders-file';

const dir = mkdtempSync(path.join(tmpdir(), 'orders-'));
let n = 0;
function file(text: string): string {
  const p = path.join(dir, `f${++n}.txt`);
  writeFileSync(p, text);
  return p;
}

it('one id per line; blank lines and surrounding spaces skipped; CRLF accepted', async () => {
  expect(await readOrdersFile(file('A-1\r\n\r\n  B-2  \n\nC-3\n'))).toEqual([
    { orderId: 'A-1' },
    { orderId: 'B-2' },
    { orderId: 'C-3' },
  ]);
});

it('CSV with an order_id column (any position), quotes, and optional status/paid as the snapshot', async () => {
  const text = 'customer,order_id,status,paid\n"Doe, J",FC-1,pending,true\nx,"FC-""2""",,\n\ny,FC-3,processing,no\n';
  expect(await readOrdersFile(file(text))).toEqual([
    { orderId: 'FC-1', snapshot: { status: 'pending', paid: true } },
    { orderId: 'FC-"2"' },
    { orderId: 'FC-3', snapshot: { status: 'processing', paid: false } },
  ]);
});

it('a single-column CSV is recognised by its order_id header', async () => {
  expect(await readOrdersFile(file('order_id\nX1\nX2\n'))).toEqual([{ orderId: 'X1' }, { orderId: 'X2' }]);
});

it('CSV without an order_id header is refused naming line 1', async () => {
  await expect(readOrdersFile(file('id,status\nA,pending\n'))).rejects.toThrow(
    /line 1: a CSV file needs a header with an order_id column/,
  );
});

it('errors name the line: wrong column count, bad paid, control characters, too long', async () => {
  const text = `order_id,paid\nA,true\nB\nC,maybe\n\n${'x'.repeat(201)},true\n"D\u0001",false\n`;
  const err = (await readOrdersFile(file(text)).catch((e: Error) => e)) as Error;
  expect(err).toBeInstanceOf(OrdersFileError);
  expect(err.message).toMatch(/line 3: expected 2 columns, got 1/);
  expect(err.message).toMatch(/line 4: paid must be true or false/);
  expect(err.message).toMatch(/line 6: order id .* must be at most 200 characters/);
  expect(err.message).toMatch(/line 7: order id .* must not contain control or invisible format characters/);
});

it('an empty file or a missing one is a clear error', async () => {
  await expect(readOrdersFile(file('\n \n'))).rejects.toThrow(/no orders/);
  await expect(readOrdersFile(path.join(dir, 'missing.txt'))).rejects.toThrow(/cannot read .*ENOENT/);
});
