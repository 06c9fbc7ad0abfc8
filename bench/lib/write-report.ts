import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const KEPT = /^## .*not rewritten/;

/**
 * Sections of an existing report whose `## ` heading says "not rewritten" are hand-kept (e.g. bulk figures measured
 * separately). Each keeps its place: those above the first generated section stay above the new generated part (a
 * summary table on top stays on top), the others follow it.
 */
function keptSections(file: string): { above: string; below: string } {
  if (!existsSync(file)) return { above: '', below: '' };
  const parts = readFileSync(file, 'utf8')
    .split(/^(?=## )/m)
    .filter((p) => p.startsWith('## '));
  const firstGenerated = parts.findIndex((p) => !KEPT.test(p));
  const cut = firstGenerated === -1 ? 0 : firstGenerated; // no generated section: all of them after the new one
  const kept = (list: string[]) => list.filter((p) => KEPT.test(p)).join('');
  return { above: kept(parts.slice(0, cut)), below: kept(parts.slice(cut)) };
}

/** Write the report, keeping hand-kept sections in place, formatted as the repository's prettier config says. */
export async function writeReport(file: string, markdown: string): Promise<void> {
  const { above, below } = keptSections(file);
  const at = markdown.search(/^## /m);
  const [head, generated] = at === -1 ? [markdown, ''] : [markdown.slice(0, at), markdown.slice(at)];
  let text = [head.trimEnd(), above.trimEnd(), generated.trimEnd(), below.trimEnd()].filter(Boolean).join('\n\n');
  text += '\n';
  try {
    const prettier = await import('prettier');
    text = await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    // Unformatted is still a correct report; `npm run format` fixes the layout.
  }
  writeFileSync(file, text);
}
