import path from 'node:path';
import { DOCS_MARKERS, renderProviderDocs } from '../src/providers/docs';

/** The page whose provider tables are generated (between DOCS_MARKERS). */
export const PROVIDERS_DOC = path.resolve(__dirname, '..', 'docs', 'providers.md');

/** `page` with its provider tables regenerated from the manifests. */
export function withProviderDocs(page: string): string {
  const start = page.indexOf(DOCS_MARKERS.begin);
  const end = page.indexOf(DOCS_MARKERS.end);
  if (start < 0 || end < start)
    throw new Error(`docs/providers.md: missing ${DOCS_MARKERS.begin} … ${DOCS_MARKERS.end}`);
  return `${page.slice(0, start + DOCS_MARKERS.begin.length)}\n\n${renderProviderDocs()}\n\n${page.slice(end)}`;
}
