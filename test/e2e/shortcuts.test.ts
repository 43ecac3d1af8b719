import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import manifest from '../../manifest.json' with { type: 'json' };
import { NOTHING_SELECTED } from '../../extension/content/shortcuts.js';
import type { ChromiumLaunch, ChromiumWithGloss } from './support/chromium.js';
import type { FirefoxLaunch } from './support/firefox.js';
import { closeAll, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import { byTestId, inUi, selectText, uiText, waitForUiText, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import { useGlossSession } from './support/session.js';
import type { StaticServer } from './support/static-server.js';
import { startXDisplay, type XDisplay } from './support/x-display.js';

/**
 * The browser's keyboard shortcuts (manifest.json `commands`), pressed for real: each browser shows
 * its windows on an X display of its own (Xvfb), and xdotool presses the suggested keys there as a
 * keyboard does. The browser takes them as its shortcuts, calls the worker's `commands.onCommand`
 * with the active tab, the worker relays it over that tab's port, and the content script acts.
 * Headless, nothing of that could run: key events sent through CDP or BiDi reach the page, never the
 * browser's own shortcut handling.
 */

/** The suggested key of `command` on Windows and Linux, as xdotool names it ("Alt+Shift+G" → "alt+shift+g"). */
function keysOf(command: keyof typeof manifest.commands): string {
  return manifest.commands[command].suggested_key.default.toLowerCase();
}

const chromiumX: ChromiumLaunch = {};
const firefoxX: FirefoxLaunch = {};
let displays: XDisplay[] = [];
let pages: StaticServer;
let browsers: GlossBrowser[];

// Before the session's browsers start (they are shown on these), and closed after them.
beforeAll(async () => {
  displays = await Promise.all([startXDisplay(), startXDisplay()]);
  chromiumX.display = displays[0]!.display;
  firefoxX.display = displays[1]!.display;
});
afterAll(() => closeAll(...displays));

useGlossSession(
  [
    { kind: 'chromium', label: 'S', name: 'Shortcuts', options: { chromium: chromiumX } },
    { kind: 'firefox', label: 'SF', name: 'Shortcuts Firefox', options: { firefox: firefoxX } },
  ],
  (s) => {
    ({ pages, browsers } = s);
  },
);

const WINDOW_CLASS = { chromium: 'chromium', firefox: 'firefox' } as const;

/**
 * The article open in a new tab, its script connected to the worker (the bar reads `live` once the
 * worker has the tab's port): a shortcut pressed before would find no port and open the popup instead.
 */
async function openConnected(g: GlossBrowser, run: string): Promise<Page> {
  const page = await openArticle(g, pages.url('article.html', run));
  await waitForUiText(page, byTestId('connection'), 'live');
  await page.bringToFront();
  return page;
}

/** Where focus is inside the Gloss UI: the focused element's test id or tag, null when it is not in the UI. */
function focusInUi(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const root = document.querySelector('gloss-root');
    if (document.activeElement !== root) return null;
    const el = root?.shadowRoot?.activeElement;
    return el ? (el.getAttribute('data-testid') ?? el.tagName.toLowerCase()) : null;
  });
}

describe.each([
  { index: 0, name: 'Chromium' },
  { index: 1, name: 'Firefox ESR' },
])('keyboard shortcuts pressed in $name', ({ index }) => {
  const g = () => browsers[index]!;
  const press = (keys: string) => displays[index]!.press(WINDOW_CLASS[g().kind], keys);

  it('toggles the panel of the active tab only, focus on its heading and back to the page', async () => {
    // Another tab of the same page, behind: the browser names the active tab, and only that one is told.
    const behind = await openConnected(g(), `shortcut-panel-${g().kind}`);
    const page = await openConnected(g(), `shortcut-panel-${g().kind}`);
    try {
      await page.evaluate(() => {
        const field = document.createElement('input');
        field.id = 'page-field';
        document.body.prepend(field);
        field.focus();
      });
      expect(await page.$(inUi(byTestId('panel')))).toBeNull();

      await press(keysOf('toggle-panel'));
      await page.locator(inUi(byTestId('panel'))).setTimeout(WAIT_MS).wait();
      expect(await page.$eval(inUi(byTestId('panel-toggle')), (b) => b.getAttribute('aria-expanded'))).toBe('true');
      await page.waitForFunction((expected) => document.querySelector('gloss-root')?.shadowRoot?.activeElement?.tagName.toLowerCase() === expected, { timeout: WAIT_MS }, 'h2');
      expect(await focusInUi(page)).toBe('h2');
      expect(await behind.$(inUi(byTestId('panel'))), 'the panel of the tab behind').toBeNull();

      await press(keysOf('toggle-panel'));
      await waitInUi(page, 'the panel closed', (root) => root.querySelector('[data-testid="panel"]') === null, null);
      await page.waitForFunction(() => document.activeElement?.id === 'page-field', { timeout: WAIT_MS });
    } finally {
      await closeAll(page, behind);
    }
  });

  it('opens the composer on the selected text, and says so when nothing is selected', async () => {
    const page = await openConnected(g(), `shortcut-annotate-${g().kind}`);
    try {
      await press(keysOf('annotate-selection'));
      expect(await waitForUiText(page, byTestId('error'), NOTHING_SELECTED)).toBe(NOTHING_SELECTED);
      expect(await page.$(inUi(byTestId('composer')))).toBeNull();

      await selectText(page, '#p-growth', 'change impact analysis');
      await press(keysOf('annotate-selection'));
      await page.locator(inUi(`${byTestId('composer')} textarea`)).setTimeout(WAIT_MS).wait();
      expect(await uiText(page, byTestId('composer'))).toContain('change impact analysis');
      await page.waitForFunction(() => document.querySelector('gloss-root')?.shadowRoot?.activeElement?.tagName === 'TEXTAREA', { timeout: WAIT_MS });
      // The notice of the press that found nothing is no longer true.
      expect(await page.$(inUi(byTestId('error')))).toBeNull();
    } finally {
      await closeAll(page);
    }
  });
});

it('opens the popup, which says why, when pressed in a tab Gloss does not run in (Chromium)', async () => {
  const chromium = browsers[0] as ChromiumWithGloss;
  const page = await chromium.newPage('about:blank');
  try {
    await page.bringToFront();
    const popupUrl = `${chromium.extensionOrigin}/${manifest.action.default_popup}`;
    const popupShown = chromium.browser.waitForTarget((t) => t.url().startsWith(popupUrl), { timeout: WAIT_MS });
    await displays[0]!.press(WINDOW_CLASS.chromium, keysOf('toggle-panel'));
    const popup = await (await popupShown).asPage();
    expect(await popup.locator(byTestId('popup-connection')).setTimeout(WAIT_MS).map((el) => el.textContent).wait()).toBe('unavailable');
  } finally {
    await closeAll(page);
  }
});
