import type { Browser, FrameLocator, Page } from 'playwright-core';
import { CancellationClient } from '../../src/client/cancellation-client';
import { freePort, launchChromium, requireChromium, screenshots } from '../helpers/browser';
import { startTestStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';
import { WebUi } from '../helpers/web-ui';

// Each test takes 40-60 s on a busy 2-core machine (page loads); the default 90 s leaves too little margin.
jest.setTimeout(180_000);
// The operator loop of the design, driven through the dev server's Web UI in a real (headless) Chromium.
let stack: TestStack;
let browser: Browser;
let page: Page;
let ui: WebUi;
const shot = screenshots('operator-ui');
const reason = { code: 'customer_request' };
const AWAITING = 'CancelState = "AWAITING_OPERATOR"';

beforeAll(async () => {
  requireChromium(); // before the dev server: a missing browser is one clear line
  const uiPort = await freePort();
  stack = await startTestStack({ uiPort });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  ui = new WebUi(page, `http://localhost:${uiPort}`);
});
afterAll(async () => {
  await browser?.close();
  await stack?.teardown();
});

/** A fastpod order whose cancel fails for the whole retry budget, so its cancellation waits for an operator. */
async function waitingCancellation(client: CancellationClient, orderId: string): Promise<string> {
  stack.sandbox.fastpod.seed([{ id: orderId, status: 'new_order' }]);
  stack.sandbox.fastpod.injectFault({ route: 'cancel', orderId, status: 503, times: 3 });
  const handle = await client.startCancellation({ provider: 'fastpod', orderId, reason });
  await waitFor(async () => (await client.getStatus(handle.workflowId)).state === 'AWAITING_OPERATOR', 'operator');
  return handle.workflowId;
}

/** List filtered by CancelState → open the waiting one → read summary and current details → fill in the signal. */
async function openAndSignal(workflowId: string, orderId: string, signal: string, input: unknown, tag: string) {
  await ui.openList(AWAITING);
  const row = await ui.waitForRow(workflowId);
  await shot(page, `${tag}-list-awaiting-operator`);
  await row.click();
  const { summary, details } = await ui.openUserMetadata();
  await summary.getByText(`Cancel fastpod order ${orderId} — customer_request`).waitFor();
  await details.getByText('AWAITING_OPERATOR').waitFor();
  await details.getByText('ProviderTransientError').first().waitFor(); // last error (and the last event)
  await details.getByText(/You can:/).waitFor();
  await shot(page, `${tag}-details`);
  const form = await ui.fillSignal(signal, input);
  await shot(page, `${tag}-signal-form`);
  await form.submit();
  return details;
}

/** After the signal: the page shows the run COMPLETED and the current details the outcome as its state. */
async function seeOutcome(details: FrameLocator, outcome: string, tag: string) {
  await ui.waitForStatus('COMPLETED');
  await page.reload(); // the current details are fetched once per page load
  await details.getByText(outcome, { exact: true }).waitFor();
  await shot(page, `${tag}-${outcome.toLowerCase()}`);
}

test('operator retries from the Web UI: filtered list, summary and details, retry signal form, CANCELLED', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const result = await worker.runUntil(async () => {
    const id = await waitingCancellation(client, 'ui-retry-1');
    const details = await openAndSignal(id, 'ui-retry-1', 'retry', { by: 'ui-operator' }, 'retry');
    await seeOutcome(details, 'CANCELLED', 'retry');
    return stack.env.client.workflow.getHandle(id).result();
  });
  expect(result.outcome).toBe('CANCELLED');
  expect(stack.sandbox.fastpod.requestsFor('cancel', 'ui-retry-1').map((r) => r.responseStatus)).toEqual([
    503, 503, 503, 200,
  ]);
});

test('operator aborts from the Web UI: the hold is released and the order ends ABORTED, not cancelled', async () => {
  const { worker, taskQueue } = await stack.newWorker();
  const client = new CancellationClient({ client: stack.env.client, taskQueue });
  const result = await worker.runUntil(async () => {
    const id = await waitingCancellation(client, 'ui-abort-1');
    const input = { reason: 'customer called back', by: 'ui-operator' };
    const details = await openAndSignal(id, 'ui-abort-1', 'abort', input, 'abort');
    await seeOutcome(details, 'ABORTED', 'abort');
    return stack.env.client.workflow.getHandle(id).result();
  });
  expect(result).toMatchObject({ outcome: 'ABORTED', providerCancelled: false });
  expect(stack.sandbox.merchant.typesFor('ui-abort-1')).toContain('cancellation.hold_released');
  expect(stack.sandbox.fastpod.requestsFor('cancel', 'ui-abort-1').map((r) => r.responseStatus)).toEqual([
    503, 503, 503,
  ]);
});
