import { TestWorkflowEnvironment } from '@temporalio/testing';
import { dynamicConfigArgs } from '../../src/devserver/dynamic-config';
import { requireTemporalCli } from '../../src/devserver/find-cli';
import { SEARCH_ATTRIBUTES } from '../../src/contract';
import { SHARED_SERVER_ENV } from './shared-server';

/**
 * The test server for this file. `npm run test:engine`: a real server (scripts/postgres-server.sh, its search
 * attributes registered) at TEMPORAL_TEST_SERVER_ADDRESS. Otherwise the run's shared dev server (started once by
 * test/helpers/global-setup.ts), as an environment whose teardown closes only this file's connections. Outside that
 * setup (a project without it), or when a Web UI port is asked for, the file gets its own dev server from the
 * machine's CLI; fails loudly when the CLI is missing.
 */
export async function startDevServer(
  opts: { uiPort?: number; uiCodecEndpoint?: string } = {},
): Promise<TestWorkflowEnvironment> {
  const existing = process.env.TEMPORAL_TEST_SERVER_ADDRESS;
  if (existing && opts.uiPort === undefined) {
    return TestWorkflowEnvironment.createFromExistingServer({
      address: existing,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    });
  }
  const address = process.env[SHARED_SERVER_ENV];
  if (address && opts.uiPort === undefined) {
    return TestWorkflowEnvironment.createFromExistingServer({ address, namespace: 'default' });
  }
  const path = requireTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: [
        ...dynamicConfigArgs(),
        ...(opts.uiCodecEndpoint ? ['--ui-codec-endpoint', opts.uiCodecEndpoint] : []),
      ],
      ...(opts.uiPort ? { ui: true, uiPort: opts.uiPort } : {}),
    },
  });
}

let counter = 0;
/** A fresh task queue name per test: files share one server, so names carry the process id. */
export function taskQueue(name = 'test'): string {
  counter += 1;
  return `${name}-${process.pid}-${Date.now()}-${counter}`;
}
