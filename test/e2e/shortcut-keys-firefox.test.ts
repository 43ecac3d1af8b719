import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { FIREFOX_WHERE } from '../../extension/popup/Shortcuts.js';
import { launchFirefox, type FirefoxWithGloss } from './support/firefox.js';
import { firefoxTabIdOf } from './support/firefox-popup.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, POLL_MS, WAIT_MS } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { POPUP_PATH } from './support/popup.js';
import { saveSettingsThroughForm, waitForInstallSettingsPage } from './support/settings.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';

/**
 * The shortcuts' keys in Firefox ESR, rebound while a page is open: `commands.update` is what the
 * add-on manager's Manage Extension Shortcuts calls, and it fires `commands.onChanged`, on which the
 * worker reads the keys again and tells the tabs. The bar's toggle follows at once, a key removed
 * shows no key, and the popup (its page in a tab: BiDi cannot open the toolbar popup) reads them as
 * it opens, follows a rebinding made while it is open, and says where the settings are, Firefox
 * having no address for them.
 */
let server: ServerProcess;
let pages: StaticServer;
let f: FirefoxWithGloss;
/** An extension page of the add-on (its settings page, kept open): it rebinds the keys and becomes the popup. */
let extensionPage: Page;

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  f = await launchFirefox('KF');
  extensionPage = await waitForInstallSettingsPage(f.browser, f.extensionOrigin);
  f.log.watchPage(extensionPage, 'extension page');
  await saveSettingsThroughForm(extensionPage, { serverUrl: server.url, name: 'Kit' });
});
afterAll(async () => {
  await closeAll(f, pages);
  await server?.stop();
});
printLogsOnFailure(() => [f]);

interface FirefoxCommands {
  browser: { commands: { update(detail: { name: string; shortcut: string }): Promise<void> } };
}
const rebind = (name: string, shortcut: string) =>
  extensionPage.evaluate((name: string, shortcut: string) => (globalThis as unknown as FirefoxCommands).browser.commands.update({ name, shortcut }), name, shortcut);

/** The bar's toggle's tooltip and aria-keyshortcuts, once they read `title` (null attributes absent). */
async function toggleReads(article: Page, title: string): Promise<string | null> {
  await article.waitForFunction(
    (title: string) => document.querySelector('gloss-root')?.shadowRoot?.querySelector('[data-testid="panel-toggle"]')?.getAttribute('title') === title,
    { timeout: WAIT_MS, polling: POLL_MS },
    title,
  );
  return article.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="panel-toggle"]')!.getAttribute('aria-keyshortcuts'));
}

it('the bar’s toggle follows a rebinding and a removal at once, and the popup reads the keys bound now and follows a rebinding while open', async () => {
  const url = pages.url('article.html', 'shortcut-keys-firefox');
  const article = await openArticle(f, url);
  try {
    expect(await toggleReads(article, 'Show conversations (Alt+Shift+G)')).toBe('Alt+Shift+G');
    await rebind('toggle-panel', 'Alt+Shift+P');
    expect(await toggleReads(article, 'Show conversations (Alt+Shift+P)')).toBe('Alt+Shift+P');
    await rebind('toggle-panel', '');
    expect(await toggleReads(article, 'Show conversations'), 'removed: no key shown').toBeNull();

    const tabId = await firefoxTabIdOf(extensionPage, url);
    const search = `?tabId=${tabId}`;
    await extensionPage.evaluate((href: string) => location.assign(href), `${f.extensionOrigin}/${POPUP_PATH}${search}`);
    await waitFor('the popup page', () => extensionPage.evaluate(() => !!document.querySelector('[data-testid="popup-shortcuts"]')).catch(() => false));
    const rows = await extensionPage.$$eval('[data-testid="popup-shortcut"]', (rows) => rows.map((r) => [(r as HTMLElement).dataset.command, r.textContent]));
    expect(rows).toEqual([
      ['annotate-selection', 'Alt+Shift+M Annotate the selected text'],
      ['toggle-panel', 'not set Show or hide the conversations'],
    ]);
    expect(await extensionPage.$eval(byTestId('shortcuts-where'), (p) => p.textContent)).toBe(FIREFOX_WHERE);
    expect(await extensionPage.$(byTestId('shortcuts-change'))).toBeNull();

    // Rebound while the popup stays open: it follows (commands.onChanged reaches the page), as the bar's toggle does.
    await rebind('toggle-panel', 'Alt+Shift+P');
    await extensionPage.waitForFunction(() => document.querySelector('[data-testid="popup-shortcut"][data-command="toggle-panel"] kbd')?.textContent === 'Alt+Shift+P', { timeout: WAIT_MS, polling: POLL_MS });
    expect(await toggleReads(article, 'Show conversations (Alt+Shift+P)')).toBe('Alt+Shift+P');
  } finally {
    await closeAll(article);
  }
});
