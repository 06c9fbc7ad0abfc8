import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

/** README.md, BENCHMARKS.md and every page under docs/. */
function pages(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const p = path.join(dir, f);
      return statSync(p).isDirectory() ? walk(p) : p.endsWith('.md') ? [p] : [];
    });
  return [path.join(ROOT, 'README.md'), path.join(ROOT, 'BENCHMARKS.md'), ...walk(path.join(ROOT, 'docs'))];
}

/** The anchors GitHub gives a page's headings (lower case, punctuation dropped, spaces to dashes, repeats numbered). */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const m of text.matchAll(/^#{1,6} +(.+?) *$/gm)) {
    const base = m[1]
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n ? `${base}-${n}` : base);
  }
  return out;
}

/** Relative links `[text](target)` outside code blocks and code spans. */
function links(markdown: string): string[] {
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t));
}

test.each(pages().map((p) => [path.relative(ROOT, p), p]))('every relative link of %s resolves', (_rel, page) => {
  const broken: string[] = [];
  const own = readFileSync(page, 'utf8');
  for (const link of links(own)) {
    const [file, anchor] = link.split('#');
    const target = file ? path.resolve(path.dirname(page), decodeURIComponent(file)) : page;
    if (!existsSync(target)) {
      broken.push(`${link}: no such file`);
      continue;
    }
    if (anchor && target.endsWith('.md') && !anchors(readFileSync(target, 'utf8')).has(anchor)) {
      broken.push(`${link}: no such heading`);
    }
  }
  expect(broken).toEqual([]);
});
