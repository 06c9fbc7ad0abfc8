import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closeSharedAgent } from '../../src/providers/http';
import { expectMerchantView, runCrashScenario } from '../helpers/crash-scenario';
import { startRestartableDevServer, type ServerControl } from '../helpers/server-control';

// Its own dev server (the run's shared one must not be killed), on a SQLite file so a restart finds the same data.
// The engine lane runs the same scenario against its PostgreSQL server (test/engine/crash-during-bulk.test.ts).
const onEngineLane = Boolean(process.env.TEMPORAL_TEST_SERVER_ADDRESS);

let dir: string;
let server: ServerControl | undefined;
beforeAll(async () => {
  if (onEngineLane) return;
  dir = mkdtempSync(path.join(os.tmpdir(), 'occ-crash-'));
  server = await startRestartableDevServer(dir);
}, 120_000);
afterAll(async () => {
  await server?.stop();
  await closeSharedAgent();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

(onEngineLane ? it.skip : it)(
  'dev server: worker and server SIGKILLed under in-flight Fincart batch calls; every order CANCELLED once, no stall',
  async () => {
    expectMerchantView(await runCrashScenario(server as ServerControl, 'dev server'));
  },
  480_000,
);
