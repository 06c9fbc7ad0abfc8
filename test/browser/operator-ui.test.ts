import type { Browser, FrameLocator, Page } from 'playwright-core';
import { BulkClient } from '../../src/client/bulk-client';
import { CancellationClient } from '../../src/client/cancellation-client';
import { startCodecServer, type CodecServer } from '../../src/codec/server';
import { encryptionKeys } from '../../src/config/encryption';
import { freePort, launchChromium, requireChromium, screenshots } from '../helpers/browser';
import { bulkId } from '../helpers/bulk';
import { encryptedClient, encryptedWorker, newKey } from '../helpers/encryption';
import { startTestStack, type TestStack } from '../helpers/stack';
import { waitFor } from '../helpers/wait';
import { WebUi } from '../helpers/web-ui';

// Each test takes 40-60 s on a busy 2-core machine (page loads); the default 90 s leaves too little margin.
jest.setTimeout(180_000);
// The operator loop of the design, driven through the dev server's Web UI in a real (headless) Chromium. As with
// `npm start`, payloads and failures are encrypted and the UI reads them through the codec server.
let stack: TestStack;
let codec: CodecServer;
const keys = newKey('ui');
let browser: Browser;
let page: Page;
let ui: WebUi;
const shot = screenshots('operator-ui');
const reason = { code: 'customer_request' };
const AWAITING = 'CancelState = "AWAITING_OPERATOR"';

beforeAll(async () => {
  requireChromium(); // before the dev server: a missing browser is one clear line
  const uiPort = await freePort();
  const corsOrigins = [`http://localhost:${uiPort}`];
  codec = await startCodecServer({ keys: encryptionKeys.parse(keys) ?? [], corsOrigins }, { port: 0 });
  stack = await startTestStack({ uiPort, uiCodecEndpoint: codec.url });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  ui = new WebUi(page, `http://localhost:${uiPort}`);
});
afterAll(async () => {
  await browser?.close();
  await stack?.teardown();
  await codec?.close();
});

/** An encrypting worker on a fresh queue and a client with the same key (as `npm start` runs them). */
async function encrypted() {
  const { worker, taskQueue } = await encryptedWorker(stack, keys);
  const client = encryptedClient(stack, keys);
  return { worker, client: new CancellationClient({ client, taskQueue }), bulk: new BulkClient({ client, taskQueue }) };
}

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
  const { worker, client } = await encrypted();
  const result = await worker.runUntil(async () => {
    const id = await waitingCancellation(client, 'ui-retry-1');
    const details = await openAndSignal(id, 'ui-retry-1', 'retry', { by: 'ui-operator' }, 'retry');
    await seeOutcome(details, 'CANCELLED', 'retry');
    return client.result(id);
  });
  expect(result.outcome).toBe('CANCELLED');
  expect(stack.sandbox.fastpod.requestsFor('cancel', 'ui-retry-1').map((r) => r.responseStatus)).toEqual([
    503, 503, 503, 200,
  ]);
});

test('operator aborts from the Web UI: the hold is released and the order ends ABORTED, not cancelled', async () => {
  const { worker, client } = await encrypted();
  const result = await worker.runUntil(async () => {
    const id = await waitingCancellation(client, 'ui-abort-1');
    const input = { reason: 'customer called back', by: 'ui-operator' };
    const details = await openAndSignal(id, 'ui-abort-1', 'abort', input, 'abort');
    await seeOutcome(details, 'ABORTED', 'abort');
    return client.result(id);
  });
  expect(result).toMatchObject({ outcome: 'ABORTED', providerCancelled: false });
  expect(stack.sandbox.merchant.typesFor('ui-abort-1')).toContain('cancellation.hold_released');
  expect(stack.sandbox.fastpod.requestsFor('cancel', 'ui-abort-1').map((r) => r.responseStatus)).toEqual([
    503, 503, 503,
  ]);
});

test('the Web UI reads encrypted payloads and failures as text; its menus offer only operator actions', async () => {
  const { worker, client } = await encrypted();
  await worker.runUntil(async () => {
    const id = await waitingCancellation(client, 'ui-decode-1');
    await ui.openWorkflow(id, 'Event History');
    // The input payload, decrypted by the codec server, reads as JSON.
    await page.getByText('"orderId": "ui-decode-1"').first().waitFor();
    // A failed attempt: listed by its type (its message stays encrypted in history), readable when opened.
    const failed = page.getByText('ProviderTransientError (message encrypted: open the event to read it)');
    await failed.first().waitFor();
    expect(await page.getByText('Encoded failure').count()).toBe(0);
    await failed.first().scrollIntoViewIfNeeded();
    await shot(page, 'decode-history');
    await failed.first().click();
    const message = page.getByText('"message": "fastpod: HTTP 503: injected 503"').first();
    await message.waitFor();
    await message.scrollIntoViewIfNeeded();
    await shot(page, 'decode-failure');

    await ui.openWorkflow(id, 'Queries');
    await page.getByRole('button', { name: /Query/ }).click();
    await page.getByText('"state": "AWAITING_OPERATOR"').first().waitFor();
    await shot(page, 'decode-status-query');

    // Internal messages (abortBeforePivot, attemptFailed, waitAccepted) are served by default handlers: not listed.
    const signals = await ui.menuNames('signal', () => shot(page, 'signal-menu'));
    expect(signals.sort()).toEqual(['abort', 'confirmCancelled', 'confirmNotCancelled', 'retry']);
    expect((await ui.menuNames('update', () => shot(page, 'update-menu'))).sort()).toEqual([
      'abortCancellation',
      'confirmProviderCancelled',
      'confirmProviderNotCancelled',
      'retryCancellation',
    ]);
    // An update's refusal reads as text in the form.
    const form = await ui.fillMessage('update', 'confirmProviderCancelled', { by: 'ui-operator' });
    await shot(page, 'update-form');
    await form.submit();
    await page.getByText("nothing to confirm: no order's provider state is unknown").first().waitFor();
    await shot(page, 'update-refused');
    await client.abort(id, 'test done');
  });
});

interface Metadata {
  definition: { signalDefinitions: { name: string }[]; updateDefinitions: { name: string }[] };
}

test("a bulk's menus: abort, and addOrders (the bulk client's); its children's reports to it stay internal", async () => {
  const { worker, bulk } = await encrypted();
  const names = (defs: { name: string }[]) => defs.map((d) => d.name).sort();
  await worker.runUntil(async () => {
    const orderId = `ui-bulk-${bulkId('ui').slice(-6)}`;
    stack.sandbox.fungies.seed([{ id: orderId, status: 'PAID' }]);
    stack.sandbox.fungies.injectFault({ route: 'cancel', orderId, status: 503, times: Infinity });
    const started = await bulk.startBulkCancellation({
      provider: 'fungies',
      orderIds: [orderId],
      reason: { code: 'fraud' },
    });
    // childAwaitingOperator, now served by the default handler, still reaches the bulk.
    await waitFor(async () => (await bulk.getBulkProgress(started.workflowId)).awaitingOperator === 1, 'awaiting = 1');
    // What the UI lists is the workflow's metadata, as the worker answers it.
    const handle = encryptedClient(stack, keys).workflow.getHandle(started.workflowId);
    const { definition } = await handle.query<Metadata>('__temporal_workflow_metadata');
    expect(names(definition.signalDefinitions)).toEqual(['abort']);
    expect(names(definition.updateDefinitions)).toEqual(['addOrders']);
    await bulk.abortBulk(started.workflowId, 'test done');
    expect((await bulk.result(started.workflowId)).byOutcome).toMatchObject({ ABORTED: 1 });
  });
});
