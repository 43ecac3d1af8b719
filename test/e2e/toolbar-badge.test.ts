import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { request } from '../support/clients.js';
import { useBobOnPages } from './support/bob-on-pages.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { createConversation, POLL_MS, setHash, WAIT_MS } from './support/gloss-ui.js';
import { openRealPopup, tabIdOf } from './support/popup.js';
import { bobDeletes, browserSockets, chromiumBadge, countTitle, waitForCount } from './support/toolbar-badge.js';
import { waitFor } from './support/wait.js';

/**
 * The toolbar button counts the conversations of each tab's page (extension/background/badge.ts),
 * in Chromium: the badge's text and the button's tooltip are read from the service worker with
 * `chrome.action.getBadgeText` / `getTitle`. Bob is a plain socket.io client: his conversations
 * come to the browser as the server's broadcasts, exactly as another user's would.
 */
const ctx = useBobOnPages();
let g: ChromiumWithGloss;
const tabs: Page[] = [];

beforeAll(async () => {
  g = (await glossBrowser('chromium', 'C', { serverUrl: ctx.server.url, name: 'Alice' })) as ChromiumWithGloss;
  ctx.browsers.push(g);
});

afterAll(async () => {
  await closeAll(...tabs);
});

/** Waits until the button of `tabId` shows `n` (an empty badge for 0) with its tooltip. */
const badgeOf = (tabId: number, n: number) => waitForCount(() => chromiumBadge(g, tabId), n);

async function open(url: string): Promise<{ tab: Page; tabId: number }> {
  const tab = await openArticle(g, url);
  tabs.push(tab);
  // A mark in the page's world: still there at the end, the page was never reloaded.
  await tab.evaluate(() => void ((window as unknown as { badgeMark: boolean }).badgeMark = true));
  return { tab, tabId: await tabIdOf(g, tab) };
}

const notReloaded = (tab: Page) => tab.evaluate(() => (window as unknown as { badgeMark?: boolean }).badgeMark === true);

async function bobJoins(url: string): Promise<void> {
  expect((await request(ctx.bob, 'page:join', { url })).ok).toBe(true);
}

it('each tab shows its page\'s count, equal to the popup\'s, and follows Bob\'s and the user\'s own conversations without a reload', async () => {
  const annotated = ctx.pages.url('article.html', `badge-${randomUUID()}`);
  const plain = ctx.pages.url('article.html', `badge-plain-${randomUUID()}`);
  await bobJoins(annotated);
  const first = await ctx.seed(annotated, 'previously developed', 'One.');
  await ctx.seed(annotated, 'smoke suite', 'Two.');

  const one = await open(annotated);
  const other = await open(plain);
  const two = await open(annotated);
  await badgeOf(one.tabId, 2);
  await badgeOf(two.tabId, 2);
  await badgeOf(other.tabId, 0);

  // The popup's number is the badge's.
  const popup = await openRealPopup(g, one.tab);
  try {
    await popup.waitForFunction(() => document.querySelector('[data-testid="popup-conversations"]')?.textContent?.trim() === '2 conversations', { timeout: WAIT_MS, polling: POLL_MS });
  } finally {
    await closeAll(popup);
  }

  // Another user's new conversation and deletion, as the server broadcasts them.
  await ctx.seed(annotated, 'flaky test', 'Three.');
  await badgeOf(one.tabId, 3);
  await badgeOf(two.tabId, 3);
  await bobDeletes(ctx, first);
  await badgeOf(one.tabId, 2);
  await badgeOf(two.tabId, 2);

  // The user's own, made in the second tab, counts in both.
  await createConversation(two.tab, '#p-retest', 'the most expensive one', 'Mine.');
  await badgeOf(one.tabId, 3);
  await badgeOf(two.tabId, 3);
  await badgeOf(other.tabId, 0);
  for (const t of [one, two, other]) expect(await notReloaded(t.tab)).toBe(true);
});

it('a hash route is a page of its own: the badge follows the tab to another route and back, and to another document', async () => {
  const start = ctx.pages.url('hash-router.html', `badge-${randomUUID()}`);
  const inbox = `${start}#/inbox`;
  const article = ctx.pages.url('article.html', `badge-nav-${randomUUID()}`);
  for (const url of [start, inbox, article]) await bobJoins(url);
  await ctx.seed(start, 'first part welcomes every reader', 'On the start view.');
  await ctx.seed(inbox, 'three unread letters', 'On the inbox.');
  await ctx.seed(inbox, 'answer from the team', 'On the inbox too.');

  const { tab, tabId } = await open(start);
  await badgeOf(tabId, 1);
  await setHash(tab, '#/inbox');
  await badgeOf(tabId, 2);
  await setHash(tab, '#/outbox');
  await badgeOf(tabId, 0);
  await setHash(tab, '');
  await badgeOf(tabId, 1);
  expect(await notReloaded(tab)).toBe(true);

  // Another document (the browser empties a tab's badge on such a navigation; the new page sets it).
  await Promise.all([tab.waitForNavigation({ waitUntil: 'load' }), tab.evaluate((url: string) => void (location.href = url), article)]);
  await waitFor('no conversation on the new page', async () => (await chromiumBadge(g, tabId)).title === countTitle(0));
  await ctx.seed(article, 'coverage data it relies on', 'On the article.');
  await badgeOf(tabId, 1);
});

it('a worker stopped while a conversation is deleted: once the tab is back, its badge is the server\'s count, not the one from before', async () => {
  const url = ctx.pages.url('article.html', `badge-restart-${randomUUID()}`);
  await bobJoins(url);
  const ids = [await ctx.seed(url, 'previously developed', 'One.'), await ctx.seed(url, 'smoke suite', 'Two.'), await ctx.seed(url, 'flaky test', 'Three.')];
  const { tab, tabId } = await open(url);
  await badgeOf(tabId, 3);

  // The worker is stopped (the browser keeps the badge, "3"); once the server has seen its socket
  // go, Bob deletes one, before a new worker has connected: the new worker can only learn it when
  // it joins the page, and starts from its cache, which still has 3. A mark in the worker's global
  // scope tells the new worker from the stopped one.
  const before = await g.worker();
  await before.evaluate(() => void Object.assign(globalThis, { badgeMark: true }));
  await before.close();
  await waitFor('the stopped worker\'s socket to close at the server', () => browserSockets(ctx).open === 0);
  await bobDeletes(ctx, ids[0]!);
  expect(browserSockets(ctx).open, 'a new worker connected before the deletion').toBe(0);
  await waitFor('a fresh service worker', async () => (await g.worker()).evaluate(() => !('badgeMark' in globalThis)), 60_000);
  await badgeOf(tabId, 2);

  // And the new worker follows the next change.
  await bobDeletes(ctx, ids[1]!);
  await badgeOf(tabId, 1);
  expect(await notReloaded(tab)).toBe(true);
});
