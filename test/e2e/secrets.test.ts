import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueToken, startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromeGlobal } from './support/chrome-api.js';
import { launchChromium, type ChromiumWithGloss } from './support/chromium.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { printLogsOnFailure } from './support/hooks.js';
import { changePrivate, privateValues } from './support/private-store.js';
import { openRealPopup, popupViewers } from './support/popup.js';
import { saveSettingsThroughForm, SETTINGS_VIEW, waitForInstallSettingsPage } from './support/settings.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

/**
 * The token and the anonymous id are credentials. `storage.local` is readable by content scripts, so
 * they must not be there: the extension keeps them in its own IndexedDB (extension/shared/private-store.ts),
 * which a content script, running in the page's origin, cannot open. An older version's settings in
 * `storage.local` are moved over once, at the first read of a profile an older version used.
 */
let server: ServerProcess;
let pages: StaticServer;
let g: ChromiumWithGloss;
const opened: Page[] = [];

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  g = await launchChromium('secrets');
});
afterAll(async () => {
  await closeAll(...opened, g, pages);
  await server?.stop();
});
printLogsOnFailure(() => (g ? [g] : []));

/** Everything in `storage.local`, as a content script could read it. */
async function localStorageArea(): Promise<Record<string, unknown>> {
  const worker = await g.worker();
  return worker.evaluate(() => (globalThis as unknown as ChromeGlobal).chrome!.storage.local.get(null));
}

/** The extension's private store, read from the worker (same origin as the popup that wrote it). */
async function privateStore(): Promise<Record<string, unknown>> {
  return privateValues(await g.worker());
}

/** The private store's mark that an older version's `storage.local` values were looked for (private-store.ts). */
const LEGACY_CHECKED = 'legacyChecked';

async function viewersInPopup(article: Page): Promise<string[]> {
  const popup = await openRealPopup(g, article);
  try {
    return await popupViewers(popup, 1);
  } finally {
    await closeAll(popup);
  }
}

it('settings an older version left in storage.local move to the private store; a token saved later never lands in storage.local', async () => {
  const install = await waitForInstallSettingsPage(g.browser, g.extensionOrigin);
  opened.push(install);
  const tess = await issueToken(server, { tenant: 'acme', user: 'tess', name: 'Tess' });
  const legacyId = crypto.randomUUID();
  const worker = await g.worker();
  // A profile an older version used: it kept these in storage.local and never marked the private
  // store as checked for them (planted after install: this worker already made an anonymous id).
  await worker.evaluate(
    (settings, id) => (globalThis as unknown as ChromeGlobal).chrome!.storage.local.set({ settings, anonymousId: id }),
    { serverUrl: server.url, name: 'Old Name', token: tess },
    legacyId,
  );
  await changePrivate(worker, LEGACY_CHECKED);
  // An update restarts the worker: the next one reads what it keeps afresh.
  await worker.close();

  const settingsPage = await g.newPage(`${g.extensionOrigin}/${SETTINGS_VIEW}`);
  opened.push(settingsPage);
  await settingsPage.waitForFunction((name) => document.querySelector<HTMLInputElement>('[data-testid="settings-name"]')?.value === name, {}, 'Old Name');
  const article = await openArticle(g, pages.url('article.html', 'secrets'));
  opened.push(article);
  expect((await viewersInPopup(article)).join('|')).toMatch(/Tess/);

  const local = await localStorageArea();
  expect(Object.keys(local)).toEqual([]);
  const kept = await privateStore();
  expect(kept.settings).toEqual({ serverUrl: server.url, name: 'Old Name', token: tess });
  // The first worker made its own anonymous id when it started, before the old one was planted: that
  // one stays, and the old one is removed all the same.
  expect(kept.anonymousId).toMatch(/^[0-9a-f-]{36}$/);
  expect(kept.anonymousId).not.toBe(legacyId);

  // A new token saved through the form: Gloss reconnects as its user; storage.local gets only the time of the save.
  const uma = await issueToken(server, { tenant: 'acme', user: 'uma', name: 'Uma' });
  // A tab in the background gets no input events: the settings tab is brought to front, as a user would.
  await settingsPage.bringToFront();
  await saveSettingsThroughForm(settingsPage, { serverUrl: server.url, name: 'New Name', token: uma });
  const afterSave = await localStorageArea();
  expect(Object.keys(afterSave)).toEqual(['settingsSavedAt']);
  expect(JSON.stringify(afterSave)).not.toContain(uma.slice(-20));
  expect((await privateStore()).settings).toEqual({ serverUrl: server.url, name: 'New Name', token: uma });
  await article.reload();
  expect((await viewersInPopup(article)).join('|')).toMatch(/Uma/);
});
