import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page, type Target, type WebWorker } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromeGlobal } from './support/chrome-api.js';
import { CHROMIUM, type ChromiumWithGloss } from './support/chromium.js';
import { launchWithTemps, snapshotDist } from './support/dist.js';
import { closeAll } from './support/gloss-browser.js';
import { byTestId, waitForUi, waitForViewers, WAIT_MS } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { ConsoleLog } from './support/logs.js';
import { openRealPopup, popupBadge } from './support/popup.js';
import { saveSettingsThroughForm, waitForInstallSettingsPage } from './support/settings.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';

/**
 * The first thing a new user does: install Gloss while reading a page, then open the popup on it.
 * Chrome does not put content scripts into tabs already open, so Gloss is not running there yet: the
 * popup must say so (not "cannot annotate") and its Reload button must start Gloss on the page.
 */
let server: ServerProcess;
let pages: StaticServer;
let g: ChromiumWithGloss | undefined;
let article: Page;

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  const extensionDir = snapshotDist('chrome');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-e2e-chromium-later-'));
  const log = new ConsoleLog('later');
  const { browser, close } = await launchWithTemps(extensionDir, profile, () =>
    puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      pipe: true,
      enableExtensions: true,
      userDataDir: profile,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    }),
  );
  const b: Browser = browser;
  article = await log.newPage(b, pages.url('article.html', 'installed-later'));
  const extensionId = await b.installExtension(extensionDir);
  const isOurWorker = (t: Target) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extensionId}/`);
  const worker = async (): Promise<WebWorker> =>
    waitFor('the service worker', async () => {
      for (const t of b.targets().filter(isOurWorker)) {
        const w = await t.worker();
        if (w && (await w.evaluate(() => typeof (globalThis as unknown as ChromeGlobal).chrome?.runtime?.id === 'string').catch(() => false))) return w;
      }
      return null;
    });
  g = { kind: 'chromium', browser: b, extensionId, extensionOrigin: `chrome-extension://${extensionId}`, log, worker, newPage: (url) => log.newPage(b, url), close };
  const settings = await waitForInstallSettingsPage(b, g.extensionOrigin);
  await saveSettingsThroughForm(settings, { serverUrl: server.url, name: 'Nia' });
  await settings.close();
});
afterAll(async () => {
  await closeAll(g, pages);
  await server?.stop();
});
printLogsOnFailure(() => [g]);

it('a page open before Gloss was installed: "not running", and the popup\'s Reload starts Gloss on it', async () => {
  expect(await article.$('gloss-root')).toBeNull();
  const popup = await openRealPopup(g!, article);
  try {
    expect(await popupBadge(popup, 'not running')).toMatch(/^Gloss is not running on this page\. If it was open before Gloss was installed or updated, reload it\./);
    await popup.locator(byTestId('reload-page')).setTimeout(WAIT_MS).click();
    await popupBadge(popup, 'live');
    await waitForUi(article);
    await waitForViewers(article, 1);
  } finally {
    await closeAll(popup);
  }
});
