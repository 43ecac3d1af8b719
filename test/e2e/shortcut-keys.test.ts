import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, inUi, POLL_MS, WAIT_MS } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { openRealPopup } from './support/popup.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

/**
 * The shortcuts made discoverable, in Chromium: the keys the browser has bound now (its
 * `commands.getAll()`, read by the worker for the page and by the popup itself) on the bar's toggle
 * and in the real toolbar popup, whose "Change shortcuts" opens chrome://extensions/shortcuts, which
 * no web page could link to. Chromium has no API to rebind them (Firefox does:
 * shortcut-keys-firefox.test.ts follows a rebinding there).
 */
let server: ServerProcess;
let pages: StaticServer;
let g: ChromiumWithGloss;

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  g = (await glossBrowser('chromium', 'K', { serverUrl: server.url, name: 'Kim' })) as ChromiumWithGloss;
});
afterAll(async () => {
  await closeAll(g, pages);
  await server?.stop();
});
printLogsOnFailure(() => [g]);

it('the bar’s toggle and the popup show the keys bound now; the popup opens the browser’s shortcut settings', async () => {
  const article = await openArticle(g, pages.url('article.html', 'shortcut-keys'));
  try {
    const toggle = inUi(byTestId('panel-toggle'));
    await article.waitForFunction(
      () => document.querySelector('gloss-root')?.shadowRoot?.querySelector('[data-testid="panel-toggle"]')?.getAttribute('aria-keyshortcuts') === 'Alt+Shift+G',
      { timeout: WAIT_MS, polling: POLL_MS },
    );
    expect(await article.$eval(toggle, (b) => b.getAttribute('title'))).toBe('Show conversations (Alt+Shift+G)');

    const popup = await openRealPopup(g, article);
    await popup.locator(byTestId('popup-shortcuts')).setTimeout(WAIT_MS).wait();
    const rows = await popup.$$eval('[data-testid="popup-shortcut"]', (rows) => rows.map((r) => [(r as HTMLElement).dataset.command, r.querySelector('kbd')?.textContent ?? null]));
    expect(rows).toEqual([
      ['annotate-selection', 'Alt+Shift+M'],
      ['toggle-panel', 'Alt+Shift+G'],
    ]);
    const settingsOpened = g.browser.waitForTarget((t) => t.url() === 'chrome://extensions/shortcuts', { timeout: WAIT_MS });
    await popup.locator(byTestId('shortcuts-change')).click();
    const settings = await (await settingsOpened).asPage();
    await closeAll(settings);
  } finally {
    await closeAll(article);
  }
});
