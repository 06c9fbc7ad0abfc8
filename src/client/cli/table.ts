/** Display width of a cell: code points (the CLI's cells are ids, states and numbers: no wide or combining characters). */
const width = (s: string) => [...s].length;

/**
 * Rows as aligned lines: every column but the last padded to its widest cell, columns two spaces apart, trailing
 * spaces trimmed. `header` (optional) is the first line. Cells in `right` columns are right-aligned (numbers).
 */
export function table(rows: string[][], opts: { header?: string[]; right?: number[]; indent?: string } = {}): string[] {
  const all = opts.header ? [opts.header, ...rows] : rows;
  const columns = Math.max(0, ...all.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(0, ...all.map((r) => width(r[c] ?? ''))));
  return all.map((row) =>
    (
      (opts.indent ?? '') +
      row
        .map((cell, c) => {
          if (c === row.length - 1 && !opts.right?.includes(c)) return cell;
          const pad = ' '.repeat(widths[c] - width(cell));
          return opts.right?.includes(c) ? pad + cell : cell + pad;
        })
        .join('  ')
    ).trimEnd(),
  );
}
