/**
 * The provider conformance kit: the standard scenarios, through the real saga (cancelOrder, bulkCancelOrders), on the
 * run's Temporal dev server (a fresh task queue per test), against the provider's own simulator over real HTTP. A
 * provider brings only its fixture (`conformance` in its plug-in); the rest comes from its manifest. See
 * docs/providers.md, "Run the conformance kit".
 */
import { PROVIDER_IDS } from '../../src/contract/providers';
import type { ProviderId } from '../../src/providers/registry';
import { historyText } from '../helpers/history';
import { ProviderHarness } from './harness';
import { batchScenarios } from './scenarios/batch';
import { faultScenarios } from './scenarios/faults';
import { lostAnswerScenario } from './scenarios/lost-answer';
import { outcomeScenarios } from './scenarios/outcomes';
import { captureWorkerLog } from './secrets';

/** Run every standard scenario for one registered provider (a `describe` named after its id). */
export function describeProvider(id: ProviderId): void {
  const log = captureWorkerLog();
  describe(id, () => {
    const h = new ProviderHarness(id, log);
    let logged = 0;
    beforeEach(() => {
      logged = log.lines.length;
    });
    // After every scenario: no secret in the history of any workflow it started, nor in what the worker logged.
    afterEach(async () => {
      for (const workflowId of h.started) {
        const handle = h.stack.env.client.workflow.getHandle(workflowId);
        if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('conformance test over');
        const history = await historyText(h.stack.env.client, workflowId);
        for (const secret of h.secrets)
          expect({ workflowId, leaks: history.includes(secret) }).toEqual({ workflowId, leaks: false });
      }
      const lines = log.lines.slice(logged).join('\n');
      for (const secret of h.secrets)
        expect({ log: 'worker', leaks: lines.includes(secret) }).toEqual({ log: 'worker', leaks: false });
    });

    outcomeScenarios(h);
    faultScenarios(h);
    lostAnswerScenario(h);
    const batch = h.plugin.manifest.capabilities.batchCancel;
    if (batch) batchScenarios(h, batch);
  });
}

/** Run the kit for every provider in the registry: one added there joins the kit with no new test file. */
export function describeRegistry(): void {
  for (const id of PROVIDER_IDS) describeProvider(id);
}
