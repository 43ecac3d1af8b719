import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import { request } from '../support/clients.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, conversationCss, openPanel, POLL_MS, WAIT_MS, waitInUi, waitForUiText } from './support/gloss-ui.js';
import { POPUP_PATH, tabIdOf } from './support/popup.js';
import { useBobOnPages } from './support/bob-on-pages.js';
import { measureColours } from './support/contrast.js';

/**
 * "New since your last visit", in real Chromium and Firefox ESR (background/visit.ts,
 * content/state/unseen.ts): the reader opens a page, leaves it, Bob (a plain socket.io client on the
 * real server) starts a conversation and replies to an old one, and the reader comes back: the two
 * are badged, the bar's toggle counts them (and in Chromium the popup's "This page" too), and opening a
 * card takes its mark away.
 */
const ctx = useBobOnPages();

/** The toggle as the eye reads it (its screen-reader-only comma left out) and as it is named (what is aria-hidden left out). */
const toggleIs = (tab: Page, seen: string, named: string) =>
  waitInUi(
    tab,
    `the toggle to read "${seen}"`,
    (root, [seen, named]: [string, string]) => {
      const text = (el: Node, skip: (e: Element) => boolean): string =>
        [...el.childNodes].map((n) => (n.nodeType === 3 ? n.textContent : n instanceof Element && !skip(n) ? text(n, skip) : '')).join('');
      const toggle = root.querySelector('[data-testid="panel-toggle"]');
      return toggle !== null && text(toggle, (e) => e.classList.contains('sr-only')) === seen && text(toggle, (e) => e.getAttribute('aria-hidden') === 'true') === named;
    },
    [seen, named],
  );

/** The popup's conversations line as the eye reads it and as it is named, as `toggleIs` reads the bar's. */
async function popupLineIs(popup: Page, seen: string, named: string): Promise<void> {
  const read = (args: [string, string]) => {
    const row = document.querySelector('[data-testid="popup-conversations"]')?.parentElement;
    const text = (el: Node, skip: (e: Element) => boolean): string =>
      [...el.childNodes].map((n) => (n.nodeType === 3 ? n.textContent : n instanceof Element && !skip(n) ? text(n, skip) : '')).join('');
    return row != null && text(row, (e) => e.classList.contains('sr-only')) === args[0] && text(row, (e) => e.getAttribute('aria-hidden') === 'true') === args[1];
  };
  try {
    await popup.waitForFunction(read, { timeout: WAIT_MS, polling: POLL_MS }, [seen, named] as [string, string]);
  } catch (e) {
    const shown = await popup.evaluate(() => document.querySelector('[data-testid="popup-conversations"]')?.parentElement?.textContent).catch(() => null);
    throw new Error(`popup never read "${seen}"; it reads ${JSON.stringify(shown)}: ${(e as Error).message}`);
  }
}

/** Each card's badge ("New", "New replies", or null) and accessible name, by id. */
const marksOf = (tab: Page) =>
  tab.evaluate(() =>
    Object.fromEntries(
      [...document.querySelector('gloss-root')!.shadowRoot!.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].map((c) => [
        c.dataset.id!,
        { badge: c.querySelector('[data-testid="unseen-note"]')?.textContent ?? null, name: c.getAttribute('aria-label') },
      ]),
    ),
  );

for (const kind of ['chromium', 'firefox'] as const) it(`${kind}: back on a page, what Bob started and replied to meanwhile is badged and counted; opening a card takes its mark away`, async () => {
  const g = await glossBrowser(kind, `N-${kind}`, { serverUrl: ctx.server.url, name: 'Reader' });
  ctx.browsers.push(g);
  const url = ctx.pages.url('article.html', `new-since-${kind}`);
  const old = await ctx.seed(url, 'smoke suite', 'Nightly runs are enough');
  const quiet = await ctx.seed(url, 'retest everything', 'Too slow');

  // Bob on the page too: his presence tells when the reader's tab has joined it and when it has left.
  const joined = ctx.heard.events.length;
  expect((await request(ctx.bob, 'page:join', { url })).ok).toBe(true);

  // The first visit: nothing to compare with, nothing marked.
  const first = await openArticle(g, url);
  await waitForUiText(first, byTestId('connection'), 'live');
  await ctx.hears(url, 2, joined, 'the reader on the page with Bob');
  await toggleIs(first, 'Conversations (2)', 'Conversations (2)');
  await openPanel(first);
  await waitInUi(first, 'both cards', (root) => root.querySelectorAll('[data-testid="conversation"]').length === 2, null);
  expect(Object.values(await marksOf(first)).map((m) => m.badge)).toEqual([null, null]);
  const before = ctx.heard.events.length;
  await first.close();
  // The visit ends when the worker lets the page go (its last tab left, the room left with it): a tab opened
  // before that would join this visit, already compared, and nothing would be marked new.
  await ctx.hears(url, 1, before, 'the reader gone from the page, Bob alone');

  // Meanwhile Bob starts one and replies to the old one.
  const fresh = await ctx.seed(url, 'coverage data it relies on', 'Coverage lies sometimes');
  const replied = await request(ctx.bob, 'text-chat:update', { broadcastId: randomUUID(), id: old, changes: { addComment: { id: randomUUID(), text: 'Not for releases' } } });
  expect(replied.ok, JSON.stringify(replied)).toBe(true);

  const tab = await openArticle(g, url);
  await waitForUiText(tab, byTestId('connection'), 'live');
  await toggleIs(tab, 'Conversations (3 · 2 new)', 'Conversations (3, 2 new)');
  await openPanel(tab);
  await waitInUi(tab, 'the three cards', (root) => root.querySelectorAll('[data-testid="conversation"]').length === 3, null);
  const marks = await marksOf(tab);
  expect(marks[fresh]).toEqual({ badge: 'New', name: 'Conversation by Bob on “coverage data it relies on”, new' });
  expect(marks[old]).toEqual({ badge: 'New replies', name: 'Conversation by Bob on “smoke suite”, new replies' });
  expect(marks[quiet]).toEqual({ badge: null, name: 'Conversation by Bob on “retest everything”' });
  if (kind === 'chromium') {
    // The badges' words hold 4.5:1 in both schemes, as every other text of the UI does (colour-schemes.test.ts).
    for (const scheme of ['light', 'dark'] as const) {
      await tab.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      for (const [id, words] of [[fresh, 'New'], [old, 'New replies']] as const) {
        const { texts } = await tab.evaluate(measureColours, { host: 'gloss-root', within: `${conversationCss(id)} [data-testid="unseen-note"]` });
        expect(texts.map((t) => t.text), scheme).toEqual([words]);
        expect(texts.filter((t) => t.ratio < 4.5), `${words}, ${scheme}: ${JSON.stringify(texts)}`).toEqual([]);
      }
    }
    await tab.emulateMediaFeatures([]);
  }

  // The popup describing this tab (the popup page in a tab, `?tabId=`, as colour-schemes.test.ts opens it) says it
  // too, its words at 4.5:1 in both schemes, and follows as the marks go.
  let popup: Page | null = null;
  if (kind === 'chromium') {
    const c = g as ChromiumWithGloss;
    popup = await c.newPage(`${c.extensionOrigin}/${POPUP_PATH}?tabId=${await tabIdOf(c, tab)}`);
    await popupLineIs(popup, '3 conversations · 2 new', '3 conversations, 2 new');
    for (const scheme of ['light', 'dark'] as const) {
      await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      const { texts } = await popup.evaluate(measureColours, { host: null, within: 'div.row:has([data-testid="popup-conversations"])' });
      expect(texts.map((t) => t.text).join('|'), scheme).toContain('2 new');
      expect(texts.filter((t) => t.ratio < 4.5), `${scheme}: ${JSON.stringify(texts)}`).toEqual([]);
    }
    await tab.bringToFront();
  }

  // Opened, its mark goes and the count drops; then the other.
  await clickUi(tab, `${conversationCss(fresh)} ${byTestId('quote')}`);
  await toggleIs(tab, 'Conversations (3 · 1 new)', 'Conversations (3, 1 new)');
  if (popup) await popupLineIs(popup, '3 conversations · 1 new', '3 conversations, 1 new');
  expect((await marksOf(tab))[fresh]!.badge).toBeNull();
  await clickUi(tab, `${conversationCss(old)} ${byTestId('quote')}`);
  await toggleIs(tab, 'Conversations (3)', 'Conversations (3)');
  if (popup) await popupLineIs(popup, '3 conversations', '3 conversations');
  expect(Object.values(await marksOf(tab)).map((m) => m.badge)).toEqual([null, null, null]);
  if (popup) await closeAll(popup);
});
