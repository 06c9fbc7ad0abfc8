import { existsSync, readFileSync, writeFileSync } from 'node:fs';

/**
 * Sections of an existing report whose `## ` heading says "not rewritten" are hand-kept (e.g. bulk figures measured
 * separately): they are carried over to the new report, after the generated part.
 */
function keptSections(file: string): string {
  if (!existsSync(file)) return '';
  const parts = readFileSync(file, 'utf8').split(/^(?=## )/m);
  return parts.filter((p) => /^## .*not rewritten/.test(p)).join('');
}

/** Write the report, keeping hand-kept sections, formatted as the repository's prettier config says. */
export async function writeReport(file: string, markdown: string): Promise<void> {
  const kept = keptSections(file);
  let text = kept ? `${markdown.trimEnd()}\n\n${kept}` : markdown;
  try {
    const prettier = await import('prettier');
    text = await prettier.format(text, { ...(await prettier.resolveConfig(file)), filepath: file });
  } catch {
    // Unformatted is still a correct report; `npm run format` fixes the layout.
  }
  writeFileSync(file, text);
}
