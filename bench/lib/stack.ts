import { execFileSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { dynamicConfigArgs } from '../../src/devserver/dynamic-config';
import { requireTemporalCli } from '../../src/devserver/find-cli';
import { closeSharedAgent } from '../../src/providers/http';
import { startSandbox, type SandboxStack } from '../../src/sandbox/stack';
import { SEARCH_ATTRIBUTES } from '../../src/contract';
import { workflowInterceptorModules } from '../../src/worker/create-worker';
import { findChildPid } from './proc';

/** The shared pieces every section measures against. */
export interface BenchStack {
  env: TestWorkflowEnvironment;
  sandbox: SandboxStack;
  cliPath: string;
  cliVersion: string;
  serverPid?: number;
  bundle(workflowsPath: string): Promise<WorkflowBundleWithSourceMap>;
  freshOrders(n: number): string[];
  stop(): Promise<void>;
}

const noop = () => undefined;
const quietLogger = { trace: noop, debug: noop, info: noop, warn: noop, error: console.error, log: noop };

/**
 * Start a real `temporal server start-dev` (search attributes registered) and the sandbox with no added latency;
 * with `address`, use that running server instead (namespace TEMPORAL_NAMESPACE; its search attributes must exist).
 */
export async function startBenchStack(
  server: { dbFilename?: string; extraArgs?: string[]; address?: string } = {},
): Promise<BenchStack> {
  const cliPath = requireTemporalCli();
  const { address, ...devServer } = server;
  const cliVersion = address
    ? `an existing server at ${address} (its CPU and memory are not measured)`
    : execFileSync(cliPath, ['--version'], { encoding: 'utf8' }).trim();
  const env = address
    ? await TestWorkflowEnvironment.createFromExistingServer({
        address,
        namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      })
    : await TestWorkflowEnvironment.createLocal({
        server: {
          executable: { type: 'existing-path', path: cliPath },
          searchAttributes: SEARCH_ATTRIBUTES,
          // Under saturation the server warns about every slow persistence call; errors still show.
          log: { format: 'pretty', level: 'error' },
          ...devServer,
          // Priority and fairness on, as `npm start` and the tests run it (src/devserver/dynamic-config.ts).
          extraArgs: [...dynamicConfigArgs(), ...(devServer.extraArgs ?? [])],
        },
      });
  let sandbox: SandboxStack;
  try {
    sandbox = await startSandbox({ latencyMs: 0 });
  } catch (err) {
    await env.teardown();
    throw err;
  }
  // Request logs grow without bound over a minute of load; the bench never reads them.
  for (const sim of [...Object.values(sandbox.sims), sandbox.merchant]) sim.recordRequests = false;

  const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();
  const runId = Date.now().toString(36);
  let nextOrder = 0;
  return {
    env,
    sandbox,
    cliPath,
    cliVersion,
    serverPid: address ? undefined : findChildPid('start-dev'),
    bundle(workflowsPath) {
      let b = bundles.get(workflowsPath);
      if (!b) {
        // The production workflows are bundled as in production: with the outcome-metrics and tracing interceptors.
        const production = workflowsPath === require.resolve('../../src/workflows');
        b = bundleWorkflowCode({
          workflowsPath,
          workflowInterceptorModules: production ? workflowInterceptorModules() : [],
          logger: quietLogger,
        });
        bundles.set(workflowsPath, b);
      }
      return b;
    },
    freshOrders(n) {
      const ids = Array.from({ length: n }, () => `bench-${runId}-${++nextOrder}`);
      // PAID: the full happy path (lookup, hold, cancel, refund, restock, mark cancelled).
      sandbox.fungies.seed(ids.map((id) => ({ id, status: 'PAID', paid: true })));
      return ids;
    },
    async stop() {
      await sandbox.stop();
      await closeSharedAgent();
      await env.teardown();
    },
  };
}
