import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../../src/contract';
import { freePort } from './ports';

/** Runs Temporal's Java time-skipping test server; `.ci/run` installs it (`scripts/test-server.sh install`). */
export const TEST_SERVER_SCRIPT = path.resolve(__dirname, '..', '..', 'scripts', 'test-server.sh');
const START_DEADLINE_MS = 90_000;
const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

/** The SDK's private factory; `createTimeSkipping` uses it after starting the server itself. */
type Factory = {
  create(opts: object): Promise<TestWorkflowEnvironment>;
};

/**
 * A time-skipping test environment on the Java test server (Maven Central jars run by scripts/test-server.sh; the
 * SDK's own download cannot reach its host here). Throws, with the install command, when the server is missing.
 * One per test file: skipped time is global to the server, so files must not share one.
 *
 * Not `createTimeSkipping({ server: { executable: { type: 'existing-path' } } })`: the SDK gives the executable a
 * fixed 5 s to listen, and a JVM on a loaded 2-core machine takes 5-15 s. So the server is started here, with the
 * same single argument the SDK passes (the port), and the environment is built as createTimeSkipping builds it.
 */
export async function startTimeSkipping(): Promise<TestWorkflowEnvironment> {
  const check = spawnSync('bash', [TEST_SERVER_SCRIPT, 'check'], { encoding: 'utf8' });
  if (check.status !== 0) {
    throw new Error(`time-skipping test server unavailable: ${check.stderr.trim() || `exit ${check.status}`}`);
  }
  const port = await freePort();
  const address = `127.0.0.1:${port}`;
  let log = '';
  const child = spawn('bash', [TEST_SERVER_SCRIPT, String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', (b: Buffer) => void (log = (log + b.toString()).slice(-2000)));
  const kill = () => void child.kill('SIGKILL');
  process.once('exit', kill);
  const stop = async () => {
    process.off('exit', kill);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  try {
    await waitUntilServing(address, () => (child.exitCode !== null ? log : undefined));
    const factory = TestWorkflowEnvironment as unknown as Partial<Factory>;
    if (typeof factory.create !== 'function')
      throw new Error('@temporalio/testing changed: no TestWorkflowEnvironment.create');
    const env = await factory.create({
      server: { type: 'existing' },
      address,
      namespace: 'default',
      supportsTimeSkipping: true,
    });
    // The test server checks search attributes but cannot list them: register the design's, as the dev server has.
    await env.connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: Object.fromEntries(SEARCH_ATTRIBUTES.map((a) => [a.name, KEYWORD])),
    });
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      await teardown();
      await stop();
    };
    return env;
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Poll until the server answers gRPC; fail with its output if it exits, or after START_DEADLINE_MS. */
async function waitUntilServing(address: string, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + START_DEADLINE_MS;
  for (;;) {
    const died = exited();
    if (died !== undefined) throw new Error(`the time-skipping test server exited: ${died.trim().split('\n').pop()}`);
    const ok = await Connection.connect({ address, connectTimeout: 1000 })
      .then((c) => c.close().then(() => true))
      .catch(() => false);
    if (ok) return;
    if (Date.now() > deadline)
      throw new Error(`the time-skipping test server did not answer within ${START_DEADLINE_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
