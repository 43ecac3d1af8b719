import type { Browser, Page } from 'puppeteer';
import type { ChromeGlobal } from './chrome-api.js';
import { POLL_MS, WAIT_MS } from './gloss-ui.js';

export const SETTINGS_VIEW = 'extension/popup/index.html?view=settings';

/**
 * The settings page the background opens on install (`runtime.onInstalled`, reason `install`).
 * Found by the address the page reports itself: over BiDi, Firefox leaves the target's URL at
 * about:blank for a tab the extension opened.
 */
export async function waitForInstallSettingsPage(browser: Browser, extensionOrigin: string, timeout = WAIT_MS): Promise<Page> {
  const wanted = (href: string) => href.startsWith(`${extensionOrigin}/`) && href.includes('view=settings');
  const deadline = Date.now() + timeout;
  const seen = new Set<string>();
  for (;;) {
    for (const page of await browser.pages()) {
      const href = wanted(page.url()) ? page.url() : await page.evaluate(() => location.href).catch(() => page.url());
      seen.add(href);
      if (wanted(href)) return page;
    }
    if (Date.now() > deadline) {
      throw new Error(`the extension did not open its settings page (${extensionOrigin}/${SETTINGS_VIEW}) on install within ${timeout} ms; pages: ${[...seen].join(', ')}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function replaceValue(page: Page, testId: string, value: string): Promise<void> {
  const field = await page.locator(`[data-testid="${testId}"]`).setTimeout(WAIT_MS).waitHandle();
  await field.click();
  await field.evaluate((el) => (el as HTMLInputElement).select());
  await page.keyboard.press('Backspace');
  await field.type(value);
}

/**
 * When the form last told the worker of a save: `settingsSavedAt` in `storage.local`
 * (extension/shared/settings.ts `SETTINGS_SAVED_KEY`), the last thing a save writes. The worker
 * reconnects on its change (background/index.ts).
 */
export function lastSave(page: Page): Promise<unknown> {
  return page.evaluate(async () => {
    const scope = globalThis as unknown as ChromeGlobal & { browser?: ChromeGlobal['chrome'] };
    return (await (scope.browser ?? scope.chrome)!.storage.local.get('settingsSavedAt')).settingsSavedAt ?? null;
  });
}

/**
 * Fills the real settings form (server URL, display name, and a token when given) and saves it, as a user would on the page
 * the extension opened on install, then waits for the form's own confirmation of this save. The form's message alone
 * cannot tell: after an earlier save through the same page it already says "Saved", so a caller that closed the page on
 * it closed it in the middle of the save (the worker was never told, and stayed on the previous server).
 */
export async function saveSettingsThroughForm(page: Page, settings: { serverUrl: string; name: string; token?: string }): Promise<void> {
  // The form loads the stored settings asynchronously: typing before that would be overwritten.
  await page.waitForFunction(() => (document.querySelector<HTMLInputElement>('[data-testid="settings-server"]')?.value ?? '') !== '', { timeout: WAIT_MS, polling: POLL_MS });
  await replaceValue(page, 'settings-server', settings.serverUrl);
  await replaceValue(page, 'settings-name', settings.name);
  if (settings.token !== undefined) await replaceValue(page, 'settings-token', settings.token);
  const before = await lastSave(page);
  await page.locator('[data-testid="settings-save"]').setTimeout(WAIT_MS).click();
  try {
    await page.waitForFunction(() => /saved/i.test(document.querySelector('[data-testid="settings-message"]')?.textContent ?? ''), { timeout: WAIT_MS, polling: POLL_MS });
    const deadline = Date.now() + WAIT_MS;
    while ((await lastSave(page)) === before) {
      if (Date.now() > deadline) throw new Error(`storage.local's settingsSavedAt still reads ${JSON.stringify(before)}`);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  } catch (e) {
    const message = await page.$eval('[data-testid="settings-message"]', (el) => el.textContent).catch(() => null);
    throw new Error(`settings were not saved (settings-message: ${JSON.stringify(message)}): ${(e as Error).message}`);
  }
  const shown = await page.evaluate(() => ({
    server: document.querySelector<HTMLInputElement>('[data-testid="settings-server"]')?.value,
    name: document.querySelector<HTMLInputElement>('[data-testid="settings-name"]')?.value,
  }));
  if (shown.server !== settings.serverUrl || shown.name !== settings.name) {
    throw new Error(`the settings form shows ${JSON.stringify(shown)} after saving ${JSON.stringify(settings)}`);
  }
}
