import { TestWorkflowEnvironment } from '@temporalio/testing';
import { requireTemporalCli } from '../../src/devserver/find-cli';
import { SEARCH_ATTRIBUTES } from '../../src/contract';

/** Start a real Temporal CLI dev server with the design's search attributes; fails loudly when the CLI is missing. */
export async function startDevServer(): Promise<TestWorkflowEnvironment> {
  // `npm run test:engine`: a real server (scripts/postgres-server.sh) that already has the search attributes.
  const existing = process.env.TEMPORAL_TEST_SERVER_ADDRESS;
  if (existing) {
    return TestWorkflowEnvironment.createFromExistingServer({
      address: existing,
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
    });
  }
  const path = requireTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: SEARCH_ATTRIBUTES,
    },
  });
}

let counter = 0;
/** A fresh task queue name per test. */
export function taskQueue(name = 'test'): string {
  counter += 1;
  return `${name}-${process.pid}-${Date.now()}-${counter}`;
}
