import { closeSharedAgent } from '../../src/providers/http';
import { expectMerchantView, runCrashScenario } from '../helpers/crash-scenario';
import { engineServerControl } from '../helpers/server-control';

// The lane's Temporal-on-PostgreSQL server is SIGKILLed and restarted through scripts/postgres-server.sh's control.
const server = engineServerControl();

afterAll(async () => {
  // Whatever happened, the next test file finds the lane's server up.
  if (!server.alive()) await server.restart();
  await closeSharedAgent();
}, 150_000);

it('PostgreSQL server: worker and server SIGKILLed under in-flight Fincart batch calls; every order CANCELLED once, no stall', async () => {
  expectMerchantView(await runCrashScenario(server, 'PostgreSQL'));
}, 480_000);
