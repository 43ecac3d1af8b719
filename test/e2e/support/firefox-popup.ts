import type { Page } from 'puppeteer';
import type { FirefoxWithGloss } from './firefox.js';
import { POLL_MS, WAIT_MS } from './gloss-ui.js';
import { POPUP_PATH } from './popup.js';
import { waitFor } from './wait.js';

/**
 * The popup page in Firefox. BiDi can neither open the toolbar popup nor navigate a tab to a
 * moz-extension address, so the popup page is reached from a page of the add-on that is already
 * open (the settings page it opened on install), with the tab to describe given as `?tabId=` (as
 * the popup supports for a popup opened in a tab).
 */

/** The extension's tabs API as an extension page of Firefox has it. */
interface FirefoxTabs {
  browser: { tabs: { query(q: object): Promise<{ id?: number; url?: string }[]>; create(p: { url: string }): Promise<{ id?: number }> } };
}

/** The id of the tab showing `url` (exactly), or of the newest tab when `url` is null, asked through the tabs API of `extensionPage`. */
export async function firefoxTabIdOf(extensionPage: Page, url: string | null): Promise<number> {
  const handle = await extensionPage.waitForFunction(
    async (url: string | null) => {
      const tabs = await (globalThis as unknown as FirefoxTabs).browser.tabs.query({});
      const tab = url === null ? tabs.reduce((a, b) => ((b.id ?? 0) > (a.id ?? 0) ? b : a)) : tabs.find((t) => t.url === url);
      return tab?.id ?? false;
    },
    { timeout: WAIT_MS, polling: POLL_MS },
    url,
  );
  return (await handle.jsonValue()) as number;
}

/**
 * Opens the popup page for tab `tabId` in a tab of its own, created by `opener` (an open page of
 * the add-on) as a user's click on a link to it would, and returns it once its page has rendered.
 * The new tab is found by the address its page reports: over BiDi, Firefox leaves the target's URL
 * at about:blank for a tab the extension opened.
 */
export async function openPopupTab(f: FirefoxWithGloss, opener: Page, tabId: number): Promise<Page> {
  const before = new Set(await f.browser.pages());
  const href = `${f.extensionOrigin}/${POPUP_PATH}?tabId=${tabId}`;
  await opener.evaluate((href: string) => (globalThis as unknown as FirefoxTabs).browser.tabs.create({ url: href }).then(() => undefined), href);
  const popup = await waitFor(`the popup page for tab ${tabId}`, async () => {
    const seen: string[] = [];
    for (const page of await f.browser.pages()) {
      if (before.has(page)) continue;
      const state = await page.evaluate(() => `${location.href} ${document.readyState} ${!!document.querySelector('[data-testid="settings-server"]')}`).catch((e: unknown) => String(e));
      if (state.startsWith(`${href} `) && state.endsWith(' true')) return page;
      seen.push(state);
    }
    // What the new pages showed, for the time-out to say.
    throw new Error(`new pages: ${JSON.stringify(seen)}`);
  }, WAIT_MS, POLL_MS);
  f.log.watchPage(popup, 'popup');
  return popup;
}
