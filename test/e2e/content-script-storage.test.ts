import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { launchChromium, type ChromiumWithGloss } from './support/chromium.js';
import { evaluateInContentScript } from './support/content-world.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { printLogsOnFailure } from './support/hooks.js';
import { privateValues } from './support/private-store.js';
import { SETTINGS_VIEW, waitForInstallSettingsPage } from './support/settings.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';

/**
 * A content script can WRITE `storage.local`, not only read it. The worker once moved any `settings`
 * found there into its private store whenever none were saved (a user who kept the defaults): a
 * content script under a page's control could point the worker at a server of its choosing, which
 * would then hear every page the user opens and every comment. Only a profile an older version used
 * has its values moved, once (extension/shared/private-store.ts, LEGACY_CHECKED); secrets.test.ts
 * covers that move.
 */
let attacker: ServerProcess;
let pages: StaticServer;
let g: ChromiumWithGloss;
const opened: Page[] = [];

beforeAll(async () => {
  // A real server the hostile page would like the worker to use (on localhost, so the settings' rules allow plain http).
  attacker = await startServerProcess();
  pages = await startStaticServer();
  g = await launchChromium('content-script-storage');
});
afterAll(async () => {
  await closeAll(...opened, g, pages);
  await attacker?.stop();
});
printLogsOnFailure(() => (g ? [g] : []));

/** The server URL the settings form loads (the extension's own read of the stored settings). */
async function formServerUrl(): Promise<string> {
  const form = await g.newPage(`${g.extensionOrigin}/${SETTINGS_VIEW}`);
  opened.push(form);
  try {
    return await waitFor('the settings form to load', () =>
      form.evaluate(() => document.querySelector<HTMLInputElement>('[data-testid="settings-server"]')?.value || null),
    );
  } finally {
    await closeAll(form);
  }
}

async function storedSettings(): Promise<unknown> {
  return (await privateValues(await g.worker())).settings;
}

it('settings a content script writes into storage.local are never taken, not by the worker nor by the settings form', async () => {
  // Installed, the settings page closed without a save: the defaults stay in use.
  const install = await waitForInstallSettingsPage(g.browser, g.extensionOrigin);
  await closeAll(install);
  const article = await openArticle(g, pages.url('article.html', 'storage'));
  opened.push(article);
  expect(await storedSettings()).toBeUndefined();

  // The content script's own world writes what an older version kept there, and the stamp a save
  // writes last, which wakes the worker to read the settings again.
  const planted = { serverUrl: attacker.url, name: 'Mallory' };
  const written = await evaluateInContentScript(
    article,
    'Gloss',
    `chrome.storage.local.set({ settings: ${JSON.stringify(planted)} }).then(() => chrome.storage.local.set({ settingsSavedAt: Date.now() })).then(() => 'written')`,
  );
  expect(written).toBe('written');

  expect(await formServerUrl()).toBe('http://localhost:8787');
  expect(await storedSettings()).toBeUndefined();
  // A new worker reads them afresh at its start: still not taken.
  await (await g.worker()).close();
  await article.reload();
  expect(await formServerUrl()).toBe('http://localhost:8787');
  expect(await storedSettings()).toBeUndefined();
});
