import { readFile } from 'node:fs/promises';
import { describeZodError, orderIdSchema, type BulkOrder } from '../contract';

/** A bad orders file; the message names the line(s). */
export class OrdersFileError extends Error {
  override readonly name = 'OrdersFileError';
}

/**
 * Read orders: one id per line, or CSV with a header naming an `order_id` column (optional `status` and `paid`
 * columns become the order's snapshot). Blank lines are skipped; duplicates are kept (validation reports them).
 */
export async function readOrdersFile(path: string): Promise<BulkOrder[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new OrdersFileError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseOrders(text.replace(/^\uFEFF/, ''), path);
}

/** Parse the text of an orders file (see readOrdersFile). */
export function parseOrders(text: string, name = 'orders file'): BulkOrder[] {
  const lines = text.split(/\r?\n/).map((l, i) => ({ n: i + 1, l }));
  const rows = lines.filter((x) => x.l.trim() !== '');
  if (rows.length === 0) throw new OrdersFileError(`${name}: no orders (the file is empty)`);
  const first = rows[0];
  const header = (splitCsv(first.l) ?? [first.l]).map((h) => h.trim().toLowerCase());
  const csv = first.l.includes(',') || header[0] === 'order_id';
  const errors: string[] = [];
  const out: BulkOrder[] = [];
  const add = (n: number, id: string, snapshot?: BulkOrder['snapshot']) => {
    const r = orderIdSchema.safeParse(id);
    if (!r.success)
      errors.push(
        `line ${n}: order id ${JSON.stringify(id.slice(0, 80))} ${describeZodError(r.error).replace(/^input: /, '')}`,
      );
    else out.push(snapshot ? { orderId: id, snapshot } : { orderId: id });
  };
  if (!csv) {
    for (const { n, l } of rows) add(n, l.trim());
  } else {
    const col = header.indexOf('order_id');
    if (col < 0)
      throw new OrdersFileError(`${name}: line ${first.n}: a CSV file needs a header with an order_id column`);
    const statusCol = header.indexOf('status');
    const paidCol = header.indexOf('paid');
    for (const { n, l } of rows.slice(1)) {
      const cells = splitCsv(l);
      if (cells === undefined || cells.length !== header.length) {
        errors.push(`line ${n}: expected ${header.length} columns, got ${cells?.length ?? 'an unterminated quote'}`);
        continue;
      }
      const status = statusCol >= 0 ? cells[statusCol].trim() : '';
      const paid = paidCol >= 0 ? cells[paidCol].trim().toLowerCase() : '';
      if (paid && !['true', 'false', 'yes', 'no', '1', '0'].includes(paid)) {
        errors.push(`line ${n}: paid must be true or false, got ${JSON.stringify(paid)}`);
        continue;
      }
      const snapshot = status ? { status, ...(paid ? { paid: ['true', 'yes', '1'].includes(paid) } : {}) } : undefined;
      add(n, cells[col].trim(), snapshot);
    }
    if (out.length === 0 && errors.length === 0) throw new OrdersFileError(`${name}: no orders below the header`);
  }
  if (errors.length > 0) {
    const more = errors.length > 5 ? `; and ${errors.length - 5} more` : '';
    throw new OrdersFileError(`${name}: ${errors.slice(0, 5).join('; ')}${more}`);
  }
  return out;
}

/** Split one CSV line (RFC 4180 quotes, no line breaks inside fields); undefined on an unterminated quote. */
function splitCsv(line: string): string[] | undefined {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (quoted) {
      cur += c;
    } else if (c === '"' && cur.trim() === '') {
      quoted = true;
      cur = '';
    } else if (c === ',') {
      cells.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  if (quoted) return undefined;
  cells.push(cur);
  return cells;
}
