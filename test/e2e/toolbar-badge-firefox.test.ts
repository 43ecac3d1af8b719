import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { request } from '../support/clients.js';
import { useBobOnPages } from './support/bob-on-pages.js';
import { launchFirefox, type FirefoxWithGloss } from './support/firefox.js';
import { firefoxTabIdOf } from './support/firefox-popup.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { saveSettingsThroughForm, waitForInstallSettingsPage } from './support/settings.js';
import { bobDeletes, browserSockets, firefoxBadge, waitForCount } from './support/toolbar-badge.js';
import { waitFor } from './support/wait.js';

/**
 * The toolbar button's count in Firefox ESR, whose background is an event page it suspends when
 * idle (lowered here by pref from about 30 s to a few seconds, as in firefox-suspend.test.ts). The
 * badge is read with `browser.action.getBadgeText` / `getTitle` in a page of the add-on: the
 * settings page it opened on install, kept open.
 */
const IDLE_MS = 4_000;
const ctx = useBobOnPages();
let f: FirefoxWithGloss;
let extensionPage: Page;
const tabs: Page[] = [];

beforeAll(async () => {
  f = await launchFirefox('F', { 'extensions.background.idle.timeout': IDLE_MS });
  ctx.browsers.push(f);
  extensionPage = await waitForInstallSettingsPage(f.browser, f.extensionOrigin);
  f.log.watchPage(extensionPage, 'settings');
  await saveSettingsThroughForm(extensionPage, { serverUrl: ctx.server.url, name: 'Fiona' });
});

afterAll(async () => {
  await closeAll(...tabs);
});

const badgeOf = (tabId: number, n: number) => waitForCount(() => firefoxBadge(extensionPage, tabId), n);

async function open(url: string): Promise<number> {
  tabs.push(await openArticle(f, url));
  return firefoxTabIdOf(extensionPage, url);
}

it('each tab shows its page\'s count and follows Bob\'s new and deleted conversations without a reload', async () => {
  const annotated = ctx.pages.url('article.html', `badge-ff-${randomUUID()}`);
  const plain = ctx.pages.url('article.html', `badge-ff-plain-${randomUUID()}`);
  expect((await request(ctx.bob, 'page:join', { url: annotated })).ok).toBe(true);
  const first = await ctx.seed(annotated, 'previously developed', 'One.');
  await ctx.seed(annotated, 'smoke suite', 'Two.');

  const one = await open(annotated);
  const other = await open(plain);
  await badgeOf(one, 2);
  await badgeOf(other, 0);
  await ctx.seed(annotated, 'flaky test', 'Three.');
  await badgeOf(one, 3);
  await bobDeletes(ctx, first);
  await badgeOf(one, 2);
  await badgeOf(other, 0);
});

it('a deletion while the background is suspended: once the tab\'s port is back, the badge is the server\'s count', async () => {
  const url = ctx.pages.url('article.html', `badge-ff-suspend-${randomUUID()}`);
  expect((await request(ctx.bob, 'page:join', { url })).ok).toBe(true);
  const ids = [await ctx.seed(url, 'previously developed', 'One.'), await ctx.seed(url, 'smoke suite', 'Two.')];
  const tabId = await open(url);
  await badgeOf(tabId, 2);

  // Firefox suspends the idle background: its socket closes (the badge stays, "2"). Bob deletes one
  // before the next background has connected, which then learns it only when it joins the page.
  await waitFor('Firefox to suspend its background (its socket closed at the server)', () => browserSockets(ctx).open === 0, 60_000, 5);
  const lives = browserSockets(ctx).connected.length;
  await bobDeletes(ctx, ids[0]!);
  expect(browserSockets(ctx).open, 'a new background connected before the deletion').toBe(0);
  await badgeOf(tabId, 1);
  // Set by the very next background, not by a later one (suspended again after IDLE_MS) that read
  // the page back from a cache the next one had already corrected.
  const after = browserSockets(ctx);
  expect(after.connected.length, 'backgrounds started since the deletion').toBe(lives + 1);
  expect(after.open).toBe(1);
});
