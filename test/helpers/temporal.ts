import { TestWorkflowEnvironment } from '@temporalio/testing';
import { requireTemporalCli } from '../../src/devserver/find-cli';
import { SEARCH_ATTRIBUTES } from '../../src/contract';

/** Start a real Temporal CLI dev server with the design's search attributes; fails loudly when the CLI is missing. */
export async function startDevServer(opts: { uiPort?: number } = {}): Promise<TestWorkflowEnvironment> {
  const path = requireTemporalCli();
  return TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path },
      searchAttributes: SEARCH_ATTRIBUTES,
      ...(opts.uiPort ? { ui: true, uiPort: opts.uiPort } : {}),
    },
  });
}

let counter = 0;
/** A fresh task queue name per test. */
export function taskQueue(name = 'test'): string {
  counter += 1;
  return `${name}-${process.pid}-${Date.now()}-${counter}`;
}
