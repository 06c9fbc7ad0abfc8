/** A fenced block of README.md marked by an HTML comment right before it. */
export interface MarkedBlock {
  /** `quickstart` (commands to run), `quickstart-output` (their output), `quickstart-start-output` (npm start's). */
  kind: string;
  /** Words after the kind in the marker, e.g. `retry-until-ok`. */
  flags: string[];
  lines: string[];
  /** 1-based line of the marker, for messages. */
  at: number;
}

/** Every `<!-- quickstart… -->` marker with the fenced block that follows it (blank lines between are allowed). */
export function markedBlocks(markdown: string): MarkedBlock[] {
  const lines = markdown.split('\n');
  const blocks: MarkedBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const m = /^<!-- (quickstart[\w-]*)((?: [\w-]+)*) -->$/.exec(lines[i].trim());
    if (!m) continue;
    let j = i + 1;
    while (j < lines.length && lines[j].trim() === '') j++;
    if (!/^```/.test(lines[j] ?? '')) throw new Error(`README.md:${i + 1}: ${m[1]} is not followed by a fenced block`);
    const end = lines.findIndex((l, k) => k > j && /^```\s*$/.test(l));
    if (end < 0) throw new Error(`README.md:${j + 1}: the fenced block is not closed`);
    blocks.push({
      kind: m[1],
      flags: m[2].trim().split(/\s+/).filter(Boolean),
      lines: lines.slice(j + 1, end),
      at: i + 1,
    });
    i = end;
  }
  return blocks;
}

/** The commands of a `quickstart` block: one per non-empty line that is not a comment. */
export function commands(block: MarkedBlock): string[] {
  return block.lines.map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
}

/**
 * Output as the README shows it: ids, times and durations replaced by placeholders, `replace` applied first (e.g. the
 * test's data dir and ports back to the defaults), trailing spaces and blank lines at the ends dropped.
 */
export function normalise(text: string, replace: readonly [string | RegExp, string][] = []): string[] {
  let t = text.replace(/\r/g, '');
  for (const [from, to] of replace) t = t.split(from as string).join(to);
  t = t
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
    .replace(/\b\d+(\.\d+)? ?(ms|s|min)\b/g, '<duration>');
  const lines = t.split('\n').map((l) => l.trimEnd());
  while (lines.length && lines[0] === '') lines.shift();
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Whether every line of `want` appears in `have`, in order (other lines may come between). */
export function inOrder(want: string[], have: string[]): string | undefined {
  let k = 0;
  for (const w of want) {
    while (k < have.length && have[k] !== w) k++;
    if (k === have.length) return w;
    k++;
  }
  return undefined;
}
