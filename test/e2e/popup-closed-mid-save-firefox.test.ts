import type { Page } from 'puppeteer';
import { afterAll, beforeAll, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { launchFirefox, type FirefoxWithGloss } from './support/firefox.js';
import { firefoxTabIdOf, openPopupTab } from './support/firefox-popup.js';
import { closeAll } from './support/gloss-browser.js';
import { printLogsOnFailure } from './support/hooks.js';
import { closedAtOnce, newNameClosedMidway, otherServerClosedMidway, type PopupHost } from './support/popup-save.js';
import { lastSave, saveSettingsThroughForm, waitForInstallSettingsPage } from './support/settings.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

/**
 * The counterpart of popup-closed-mid-save.test.ts in Firefox ESR, whose background is an event
 * page, not a service worker, and whose runtime ports end with their page in Firefox's own way: the
 * popup page is closed in the middle of a save of the settings, after the form has written them and
 * before it writes the `settingsSavedAt` stamp whose `storage.onChanged` tells the background
 * (extension/shared/settings.ts). What still reaches the background is the close of the form's
 * `gloss-settings` port (background/settings-port.ts); these tests fail if the background learns of
 * the save only from something that dies with the page.
 *
 * BiDi opens no toolbar popup, so the popup page is opened in a tab of its own by the settings page
 * the add-on opened on install (support/firefox-popup.ts), which stays open for that, and is closed
 * as a tab. The first two tests hold the stamp's write in the popup's page, which makes the instant
 * certain; the last closes the page at once after Enter, ten times, wherever that lands. The
 * scenarios are support/popup-save.ts's, shared with Chromium's popup-closed-mid-save.test.ts.
 *
 * "At once" is narrower here than in Chromium. A close sent once BiDi has answered for the Enter
 * landed after the stamp 117 times of 120 (Firefox ESR 153, 2 cores), before the write 3 times, and
 * never between the two. So Enter and the close are sent together, the close 0 to 4 ms behind,
 * which spreads them over the save: of 178 such closes, 68 landed before the settings' write
 * committed (nothing saved), 10 between the write and the stamp (the port's close alone told the
 * background) and 100 after the stamp. The last test thus meets the instant that matters in about
 * half its runs (1 - 0.94^10); the first two meet it every time.
 */
let server: ServerProcess;
let other: ServerProcess;
let pages: StaticServer;
let f: FirefoxWithGloss;
let h: PopupHost;

beforeAll(async () => {
  server = await startServerProcess();
  other = await startServerProcess();
  pages = await startStaticServer();
  f = await launchFirefox('FS');
  // The settings page the add-on opened on install stays open: it opens the popup pages and reads the stamp.
  const opener = await waitForInstallSettingsPage(f.browser, f.extensionOrigin);
  f.log.watchPage(opener, 'settings');
  await saveSettingsThroughForm(opener, { serverUrl: server.url, name: 'Fiona' });
  h = {
    g: f,
    server: server.url,
    other: other.url,
    open: async (article: Page) => openPopupTab(f, opener, await firefoxTabIdOf(opener, article.url())),
    stamp: () => lastSave(opener),
  };
});
afterAll(async () => {
  await closeAll(f, pages);
  await Promise.all([server?.stop(), other?.stop()]);
});
printLogsOnFailure(() => [f]);

it('a new display name saved in a popup page closed before "Saved." is the name the background connects with: the reopened popup shows it, and the server lists Fiona by it', async () => {
  await newNameClosedMidway(h, pages.url('article.html', 'closed-mid-save-name-firefox'), 'Fiona Closed-Early');
});

it('another server saved in a popup page closed before "Saved." is where the background moves: the page goes live there and leaves the previous server', async () => {
  await otherServerClosedMidway(h, pages.url('article.html', 'closed-mid-save-server-firefox'));
});

it('a popup page closed at once after Enter, again and again: each time, the background connects with what the form left stored, the new name or, cut short before its write, the one before', async () => {
  await closedAtOnce(h, pages.url('article.html', 'closed-at-once-firefox'), (i) => `Fiona, at once ${i}`, async (popup, i) => {
    // Enter and the close sent together, the close 0 to 4 ms behind (see above). The Enter may find the page gone.
    const lag = (i - 1) % 5;
    await Promise.all([popup.keyboard.press('Enter').catch(() => {}), new Promise((r) => setTimeout(r, lag)).then(() => popup.close())]);
  });
});
