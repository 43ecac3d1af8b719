import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { launchFirefox, type FirefoxWithGloss } from './support/firefox.js';
import { firefoxTabIdOf } from './support/firefox-popup.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, POLL_MS, waitForViewers, WAIT_MS } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startOddPages, type OddPages } from './support/odd-pages.js';
import { popupBadge, popupViewers, POPUP_PATH } from './support/popup.js';
import { saveSettingsThroughForm, waitForInstallSettingsPage } from './support/settings.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';

/**
 * The popup in Firefox, whose background is an event page and whose tabs API differs from Chrome's
 * in what it shows an extension. BiDi cannot open the toolbar popup nor navigate to a moz-extension
 * address, so the popup page is reached from the settings page the add-on opened on install, with
 * the tab to describe given as `?tabId=` (as the popup supports for a popup opened in a tab).
 */
let server: ServerProcess;
let pages: StaticServer;
let odd: OddPages;
let f: FirefoxWithGloss;
/** An extension page of the add-on: the popup page, moved from tab to tab by its address. */
let popup: Page;

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  odd = await startOddPages();
  f = await launchFirefox('FP');
  popup = await waitForInstallSettingsPage(f.browser, f.extensionOrigin);
  f.log.watchPage(popup, 'popup');
  await saveSettingsThroughForm(popup, { serverUrl: server.url, name: 'Fiona' });
});
afterAll(async () => {
  odd?.finishSlow();
  await closeAll(f, pages, odd);
  await server?.stop();
});
printLogsOnFailure(() => [f]);

/** The id of the tab showing `url` (exactly), or of the newest tab when `url` is null. */
const tabIdOf = (url: string | null) => firefoxTabIdOf(popup, url);

/** Turns the add-on's page into the popup for `tabId`. */
async function showPopupFor(tabId: number): Promise<void> {
  const search = `?tabId=${tabId}`;
  await popup.evaluate((href: string) => location.assign(href), `${f.extensionOrigin}/${POPUP_PATH}${search}`);
  // Over BiDi no navigation event comes for a moz-extension page: wait for the new page itself.
  await waitFor(`the popup page for tab ${tabId}`, () =>
    popup.evaluate((search: string) => location.search === search && !!document.querySelector('[data-testid="open-panel"]'), search).catch(() => false),
  );
}

it('on a page Gloss runs on: live, the user as "you", the page\'s count, a hint, and the panel opens', async () => {
  const url = pages.url('article.html', 'firefox-popup');
  const article = await openArticle(f, url);
  try {
    await waitForViewers(article, 1);
    await showPopupFor(await tabIdOf(url));
    expect(await popupBadge(popup, 'live')).toBe('No conversations on this page yet. Select text on the page and choose Annotate to start one.');
    expect(await popupViewers(popup, 1)).toEqual(['Fiona']);
    expect(await popup.$eval('[data-testid="popup-users"] li', (li) => li.textContent)).toBe('Fiona (you)');
    await popup.locator(byTestId('open-panel')).setTimeout(WAIT_MS).click();
    await article.waitForFunction(() => !!document.querySelector('gloss-root')?.shadowRoot?.querySelector('[data-testid="panel"]'), { timeout: WAIT_MS, polling: POLL_MS });
    // A popup in a tab stays open: closing it would close the tab.
    expect(popup.isClosed()).toBe(false);
  } finally {
    await closeAll(article);
  }
});

it('on a page still loading: "loading", then live', async () => {
  const tab = await f.newPage();
  try {
    void tab.goto(odd.slowUrl).catch(() => {});
    await odd.slowRequested;
    await showPopupFor(await tabIdOf(odd.slowUrl));
    expect(await popupBadge(popup, 'loading')).toBe('This page is still loading. Gloss starts on it once it has loaded.');
    odd.finishSlow();
    await popupBadge(popup, 'live');
  } finally {
    await closeAll(tab);
  }
});

it('on about:blank: Gloss cannot run there', async () => {
  const tab = await f.newPage('about:blank');
  try {
    await showPopupFor(await tabIdOf(null));
    expect(await popupBadge(popup, 'unavailable')).toMatch(/^Gloss cannot run on this page/);
    expect(await popup.$(byTestId('popup-viewers'))).toBeNull();
  } finally {
    await closeAll(tab);
  }
});

it('on a loaded page that is not HTML: "not running"', async () => {
  const tab = await f.newPage(odd.svgUrl);
  try {
    await showPopupFor(await tabIdOf(odd.svgUrl));
    expect(await popupBadge(popup, 'not running')).toMatch(/^Gloss is not running on this page\./);
  } finally {
    await closeAll(tab);
  }
});
