#!/usr/bin/env node
'use strict';
// `cancel-orders`: the built CLI (lib/) when it is current with src/, else the TypeScript sources through ts-node
// (about 1.5 s more per call; `npm start` and `npm test` build lib/ first, `npm run build:cli` by hand).
const path = require('node:path');
const { libState } = require('./lib-state');

const root = path.join(__dirname, '..');
const state = libState(root);
let entry = path.join(root, 'lib', 'client', 'cli', 'main.js');
if (state !== 'fresh') {
  // Only to a person: scripts and tests read stderr.
  if (process.stderr.isTTY) {
    const why = state === 'missing' ? 'no built CLI (lib/)' : 'lib/ is older than src/';
    process.stderr.write(`note: ${why}: running the TypeScript sources (slower); \`npm run build:cli\` builds it\n`);
  }
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  entry = path.join(root, 'src', 'client', 'cli', 'main.ts');
}
void require(entry).main(process.argv);
