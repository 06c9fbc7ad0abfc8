import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireTemporalCli } from '../../src/devserver/find-cli';
import { startLocalTemporal, type LocalTemporal } from '../../src/devserver/start';
import { freePort } from './ports';
import { SHARED_SERVER_ENV } from './shared-server';

/**
 * Jest globalSetup of the integration tests: ONE Temporal dev server (the machine's `temporal` CLI, with the
 * design's search attributes) for the whole run; its address reaches the test files through the environment.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.TEMPORAL_TEST_SERVER_ADDRESS) return; // npm run test:engine brings its own server
  const cli = requireTemporalCli(); // no CLI: the run fails here, loudly, with how to install it
  // Memory-backed when the machine has it: the server's SQLite file is throwaway.
  const dir = mkdtempSync(path.join(existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir(), 'occ-test-temporal-'));
  const server = await startLocalTemporal({
    port: await freePort(),
    uiPort: await freePort(),
    dbFile: path.join(dir, 'test.db'),
    env: { ...process.env, TEMPORAL_CLI_PATH: cli },
  });
  process.env[SHARED_SERVER_ENV] = server.address;
  (globalThis as { __sharedTemporal?: { server: LocalTemporal; dir: string } }).__sharedTemporal = { server, dir };
}

/** Jest globalTeardown: stop the shared server and remove its files. */
export async function globalTeardown(): Promise<void> {
  const shared = (globalThis as { __sharedTemporal?: { server: LocalTemporal; dir: string } }).__sharedTemporal;
  if (!shared) return;
  await shared.server.stop();
  rmSync(shared.dir, { recursive: true, force: true });
}
