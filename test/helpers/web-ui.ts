import path from 'node:path';
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './browser';

/** How long one page load may take before the page is reloaded (the UI is slow on a busy machine). */
const ATTEMPT_MS = 20_000;

/** The Temporal Web UI as an operator uses it: the filtered list, a workflow's page, its signal form. */
export class WebUi {
  constructor(
    readonly page: Page,
    private readonly baseUrl: string,
    private readonly namespace = 'default',
  ) {}

  /** Open Workflows with a query typed as an operator would paste it. */
  async openList(query: string): Promise<void> {
    await this.page.goto(`${this.baseUrl}/namespaces/${this.namespace}/workflows?query=${encodeURIComponent(query)}`);
  }

  /** A row's link in the list (the visibility store may lag: reload until it shows, or until `present` is false). */
  async waitForRow(workflowId: string, present = true, timeoutMs = 60_000): Promise<Locator> {
    const link = this.page.getByRole('link', { name: workflowId, exact: true });
    await this.reloadUntil(link, present ? 'visible' : 'detached', timeoutMs, `list row ${workflowId}`);
    return link;
  }

  /** The User Metadata tab: the workflow's summary and its current details (Markdown rendered). */
  async openUserMetadata(): Promise<{ summary: FrameLocator; details: FrameLocator }> {
    await this.page.getByRole('tab', { name: 'User Metadata' }).click();
    // The UI renders each Markdown field in its own iframe.
    return {
      summary: this.page.frameLocator('#user-metadata-summary'),
      details: this.page.frameLocator('#user-metadata-current-details'),
    };
  }

  /** Open a workflow's page (its latest run) on a tab, e.g. "Event History" or "Queries". */
  async openWorkflow(workflowId: string, tab?: string): Promise<void> {
    const url = `${this.baseUrl}/namespaces/${this.namespace}/workflows/${encodeURIComponent(workflowId)}`;
    await this.page.goto(url);
    if (tab) await this.page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click();
  }

  /** More Actions → Send a Signal or Execute Update: the open dialog, its menu of names opened. */
  private async openMenu(kind: 'signal' | 'update'): Promise<Locator> {
    await this.page.getByRole('button', { name: 'More Actions' }).click();
    await this.page.getByTestId(`${kind}-button`).filter({ visible: true }).click();
    const dialog = this.page.locator('dialog[open]');
    await dialog.getByTestId(`${kind}-select-button`).click();
    return dialog;
  }

  /** The names a menu offers, as listed by the worker's workflow metadata ("Custom" left out); closes the dialog. */
  async menuNames(kind: 'signal' | 'update', whileOpen?: () => Promise<unknown>): Promise<string[]> {
    const dialog = await this.openMenu(kind);
    const options = dialog.getByRole('option');
    await options.first().waitFor();
    await whileOpen?.();
    // Each option shows its name in its first span and the handler's description after it.
    const names = await options.evaluateAll((els) =>
      els.map((e) => e.querySelector('span')?.textContent?.trim() ?? ''),
    );
    await this.page.keyboard.press('Escape'); // closes the menu and its dialog
    await dialog.waitFor({ state: 'hidden' });
    return names.filter((n) => n !== 'Custom');
  }

  /** Fill in a signal or update form (name from the worker's list, JSON input); `submit` sends it. */
  async fillMessage(kind: 'signal' | 'update', name: string, input: unknown): Promise<{ submit: () => Promise<void> }> {
    const dialog = await this.openMenu(kind);
    await dialog
      .getByRole('option')
      .filter({ has: this.page.getByText(name, { exact: true }) })
      .click();
    await dialog.getByRole('textbox', { name: kind === 'signal' ? 'Data' : /Input|Data/ }).click();
    // insertText: the editor would auto-close typed brackets.
    await this.page.keyboard.insertText(JSON.stringify(input));
    return { submit: () => dialog.getByTestId('confirm-modal-button').click() };
  }

  /** Fill in More Actions → Send a Signal (name from the worker's list, JSON input); `submit` returns the sender. */
  async fillSignal(name: string, input: unknown): Promise<{ submit: () => Promise<void> }> {
    const form = await this.fillMessage('signal', name, input);
    return {
      submit: async () => {
        await form.submit();
        await this.page.locator('dialog[open]').waitFor({ state: 'hidden' });
      },
    };
  }

  /** Reload the workflow page until its status badge reads `status` (e.g. COMPLETED). */
  async waitForStatus(status: string, timeoutMs = 60_000): Promise<void> {
    // The badge is upper-cased by CSS; its text is e.g. "Completed".
    const badge = this.page
      .getByText(new RegExp(`^${status}$`, 'i'))
      .filter({ visible: true })
      .first();
    await this.reloadUntil(badge, 'visible', timeoutMs, status);
  }

  private async reloadUntil(target: Locator, state: 'visible' | 'detached', timeoutMs: number, what: string) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await target.waitFor({ state, timeout: ATTEMPT_MS });
      } catch (err) {
        if (Date.now() > deadline) {
          const shot = path.join(ARTIFACTS_DIR, `failed-${what.replace(/\W+/g, '-')}.png`);
          await this.page.screenshot({ path: shot }).catch(() => undefined);
          throw new Error(
            `Web UI: ${what} not ${state} after ${timeoutMs} ms at ${this.page.url()} (see ${shot}): ${err}`,
          );
        }
        await this.page.reload();
      }
    }
  }
}
