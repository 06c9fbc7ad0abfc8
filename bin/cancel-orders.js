#!/usr/bin/env node
'use strict';
// `cancel-orders`: the built CLI (lib/) when present, else the TypeScript sources through ts-node (a dev checkout).
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const built = path.join(root, 'lib', 'client', 'cli', 'main.js');
let entry = built;
if (!fs.existsSync(built)) {
  require('ts-node').register({ transpileOnly: true, project: path.join(root, 'tsconfig.json') });
  entry = path.join(root, 'src', 'client', 'cli', 'main.ts');
}
void require(entry).main(process.argv);
