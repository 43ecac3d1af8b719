import type { Page } from 'puppeteer';
import type { ChromeGlobal } from './chrome-api.js';
import type { ChromiumWithGloss } from './chromium.js';
import { POLL_MS, WAIT_MS } from './gloss-ui.js';
import { waitFor } from './wait.js';

export const POPUP_PATH = 'extension/popup/index.html';

/**
 * Opens the real toolbar popup (`chrome.action.openPopup()` from the worker) for `page`, which is
 * made the active tab of its window first: the popup asks for the active tab of its window, exactly
 * as when a user clicks the toolbar button while reading that page.
 */
export async function openRealPopup(g: ChromiumWithGloss, page: Page): Promise<Page> {
  await page.bringToFront();
  const worker = await g.worker();
  const isPopup = (url: string) => url === `${g.extensionOrigin}/${POPUP_PATH}`;
  const opened = await worker.evaluate(async () => {
    try {
      await (globalThis as unknown as ChromeGlobal).chrome!.action.openPopup();
      return 'ok';
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
  });
  if (opened !== 'ok') throw new Error(`chrome.action.openPopup() failed: ${opened}`);
  const target = await g.browser.waitForTarget((t) => isPopup(t.url()), { timeout: WAIT_MS });
  const popup = await target.asPage();
  g.log.watchPage(popup, 'popup');
  return popup;
}

/** The tab id of `page`, asked of the worker while `page` is the active tab of the focused window. */
export async function tabIdOf(g: ChromiumWithGloss, page: Page): Promise<number> {
  await page.bringToFront();
  const worker = await g.worker();
  return waitFor('the active tab id', () =>
    worker.evaluate(async () => {
      const [tab] = await (globalThis as unknown as ChromeGlobal).chrome!.tabs.query({ active: true, lastFocusedWindow: true });
      return tab?.id ?? null;
    }),
  );
}

/** Waits until the popup's viewers line reads `${n} viewing` and returns the names listed under it (the user's own without its "(you)"). */
export async function popupViewers(popup: Page, n: number): Promise<string[]> {
  try {
    await popup.waitForFunction((n: number) => document.querySelector('[data-testid="popup-viewers"]')?.textContent?.trim() === `${n} viewing`, { timeout: WAIT_MS, polling: POLL_MS }, n);
  } catch (e) {
    const text = await popup.evaluate(() => document.body.innerText).catch(() => null);
    throw new Error(`popup never showed "${n} viewing"; it shows: ${JSON.stringify(text)}: ${(e as Error).message}`);
  }
  await popup.waitForFunction((n: number) => document.querySelectorAll('[data-testid="popup-users"] li').length === n, { timeout: WAIT_MS, polling: POLL_MS }, n);
  return popup.$$eval('[data-testid="popup-users"] [data-testid="popup-user-name"]', (names) => names.map((n) => n.textContent?.trim() ?? ''));
}

/** Waits until the popup's badge reads `badge` and returns its explanatory note (null when it shows none). */
export async function popupBadge(popup: Page, badge: string): Promise<string | null> {
  try {
    await popup.waitForFunction((badge: string) => document.querySelector('[data-testid="popup-connection"]')?.textContent?.trim() === badge, { timeout: WAIT_MS, polling: POLL_MS }, badge);
  } catch (e) {
    const text = await popup.evaluate(() => document.body.innerText).catch(() => null);
    throw new Error(`popup never showed "${badge}"; it shows: ${JSON.stringify(text)}: ${(e as Error).message}`);
  }
  return popup.evaluate(() => document.querySelector('[data-testid="popup-note"]')?.textContent?.trim() ?? null);
}
