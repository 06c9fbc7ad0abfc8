'use strict';
// Whether lib/ (the built CLI) is current with src/: Node built-ins only, read by bin/cancel-orders.js on every call
// and by scripts/bootstrap.js before `npm start` / `npm test`.
const fs = require('node:fs');
const path = require('node:path');

/** The stamp the set-up writes after it built lib/ from src/. */
const STAMP = path.join('lib', '.built-from-src');

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest modification time of a file under `dir` (0 when empty or missing). */
function newestUnder(dir) {
  let newest = 0;
  let entries;
  try {
    entries = fs.readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    if (!e.isFile()) continue;
    const t = mtime(path.join(e.parentPath ?? e.path, e.name));
    if (t !== undefined && t > newest) newest = t;
  }
  return newest;
}

/**
 * 'missing' (no lib/), 'stale' (a file under src/ is newer than the last build), or 'fresh'. Without src/ (the
 * container image) lib/ is all there is: 'fresh'. A lib/ built without the stamp (`npm run build`) is judged by its
 * entry point's time.
 */
function libState(root) {
  const entry = path.join(root, 'lib', 'client', 'cli', 'main.js');
  const built = mtime(entry);
  if (built === undefined) return 'missing';
  if (!fs.existsSync(path.join(root, 'src'))) return 'fresh';
  const stamp = mtime(path.join(root, STAMP)) ?? built;
  return newestUnder(path.join(root, 'src')) > stamp ? 'stale' : 'fresh';
}

module.exports = { libState, STAMP };
