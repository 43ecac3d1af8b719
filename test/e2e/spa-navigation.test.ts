import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizePageUrl } from '../../protocol/url.js';
import { request } from '../support/clients.js';
import { closeAll, glossBrowser, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import {
  byTestId,
  clickUi,
  conversationCss,
  conversationIds,
  highlightState,
  inUi,
  openPanel,
  selectText,
  setHash,
  showsOnly,
  typeInUi,
  WAIT_MS,
  waitForHighlights,
  waitForUiText,
  waitForViewers,
} from './support/gloss-ui.js';
import { useBobOnPages } from './support/bob-on-pages.js';

/**
 * A single-page app (test/e2e/pages/spa.html) changes its address with history.pushState,
 * replaceState, back (popstate) and jumps to an anchor, never loading a new document. Each address
 * but an anchor's is another Gloss page: the tab must leave the old page's room (the other user's count drops), join the
 * new one, and show only the new page's conversations. Bob is a plain socket.io client on every view,
 * so what he hears is exactly what the server thinks the browser's tab is reading.
 */
const ctx = useBobOnPages();

/** Runs one of the page's own router calls in the page's world, as a click in the app would. */
async function go(page: Page, view: string, how: 'push' | 'replace' = 'push'): Promise<void> {
  await page.evaluate((view: string, how: string) => (window as unknown as { go(v: string, h: string): void }).go(view, how), view, how);
}

describe.each(['chromium', 'firefox'] as const)('in %s', (kind) => {
  let g: GlossBrowser;
  let tab: Page;
  const view = (v: string) => `${ctx.pages.url('spa.html', kind)}&view=${v}`;
  let onA: string;
  let onB: string;

  beforeAll(async () => {
    g = await glossBrowser(kind, kind === 'chromium' ? 'C' : 'F', { serverUrl: ctx.server.url, name: 'Sam' });
    ctx.browsers.push(g);
    for (const v of ['a', 'b', 'c']) expect((await request(ctx.bob, 'page:join', { url: view(v) })).ok).toBe(true);
    onA = await ctx.seed(view('a'), 'quick brown fox', 'Said on view A.');
    onB = await ctx.seed(view('b'), 'a journey of a thousand miles', 'Said on view B.');
  });

  afterAll(async () => {
    await closeAll(tab);
  });

  it('pushState, replaceState and back each move the tab to the page its address names', async () => {
    tab = await openArticle(g, view('a'));
    await waitForViewers(tab, 2);
    await openPanel(tab);
    await showsOnly(tab, [onA], ['quick brown fox'], 'view A\'s conversation');

    let mark = ctx.heard.events.length;
    await go(tab, 'b');
    await ctx.hears(view('a'), 1, mark, 'the tab leaving view A after pushState');
    await showsOnly(tab, [onB], ['a journey of a thousand miles'], 'view B\'s conversation, and A\'s gone');
    await waitForViewers(tab, 2);
    await waitForUiText(tab, byTestId('connection'), 'live');

    mark = ctx.heard.events.length;
    await go(tab, 'c', 'replace');
    await ctx.hears(view('b'), 1, mark, 'the tab leaving view B after replaceState');
    await showsOnly(tab, [], [], 'no conversation on view C');
    await waitForViewers(tab, 2);

    // C replaced B in the history: back is A.
    mark = ctx.heard.events.length;
    await tab.evaluate(() => history.back());
    await ctx.hears(view('c'), 1, mark, 'the tab leaving view C after back');
    await showsOnly(tab, [onA], ['quick brown fox'], 'view A\'s conversation again');
    await waitForViewers(tab, 2);
    await waitForUiText(tab, byTestId('connection'), 'live');
  });

  it('a jump to an anchor is the same page: the tab stays, and so does a reply being typed', async () => {
    const mark = ctx.heard.events.length;
    await typeInUi(tab, `${conversationCss(onA)} ${byTestId('reply-input')}`, 'Half a reply');
    await setHash(tab, '#notes');
    expect(await conversationIds(tab)).toEqual([onA]);
    expect(await tab.evaluate((css: string) => document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLTextAreaElement>(css)!.value, `${conversationCss(onA)} ${byTestId('reply-input')}`)).toBe(
      'Half a reply',
    );
    // Then a real move: Bob's count for A goes from 2 to 1 once, with no leave and join in between.
    await go(tab, 'b');
    await ctx.hears(view('a'), 1, mark, 'the tab leaving view A');
    expect(ctx.countsFor(view('a'), mark)).toEqual([1]);
    await showsOnly(tab, [onB], ['a journey of a thousand miles'], 'view B\'s conversation');
  });

  it('a comment being written on text that stays on screen survives the move and is filed under the new address', async () => {
    await selectText(tab, '#aside', 'stays on the screen');
    await clickUi(tab, byTestId('annotate-button'));
    await typeInUi(tab, `${byTestId('composer')} textarea`, 'Written across a route change.');
    const mark = ctx.heard.events.length;
    await go(tab, 'c');
    await ctx.hears(view('b'), 1, mark, 'the tab leaving view B');
    await waitForViewers(tab, 2);
    expect(await tab.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLTextAreaElement>('[data-testid="composer"] textarea')?.value ?? null)).toBe(
      'Written across a route change.',
    );
    await clickUi(tab, byTestId('composer-submit'));
    await ctx.heard.until(
      (all) => all.slice(mark).some((e) => e.event === 'new-text-chat' && e.payload.pageKey === normalizePageUrl(view('c')) && (e.payload.chat as { text: string }).text === 'Written across a route change.'),
      WAIT_MS,
      'the comment, on view C',
    );
    await showsOnly(tab, (await conversationIds(tab)), ['stays on the screen'], 'the new conversation highlighted on view C');
  });

  it('a comment being written on text the new view removed stays open; it is sent once its text is back', async () => {
    const composerText = () => tab.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLTextAreaElement>('[data-testid="composer"] textarea')?.value ?? null);
    await selectText(tab, '#view', 'nobody is reading it');
    await clickUi(tab, byTestId('annotate-button'));
    await typeInUi(tab, `${byTestId('composer')} textarea`, 'On text that goes away.');
    let mark = ctx.heard.events.length;
    await go(tab, 'a');
    await ctx.hears(view('c'), 1, mark, 'the tab leaving view C');
    await showsOnly(tab, [onA], ['quick brown fox'], 'view A\'s conversation');
    expect(await composerText()).toBe('On text that goes away.');
    // View A has no such text: the comment is not sent, to either page, and what was typed stays.
    await clickUi(tab, byTestId('composer-submit'));
    await waitForUiText(tab, byTestId('composer-problem'), /no longer on this page/);
    expect(await composerText()).toBe('On text that goes away.');
    expect(await conversationIds(tab)).toEqual([onA]);

    // Back to view C, whose router renders the text again in new nodes: now it is sent, to C.
    mark = ctx.heard.events.length;
    await tab.evaluate(() => history.back());
    await ctx.hears(view('a'), 1, mark, 'the tab leaving view A');
    await waitForViewers(tab, 2);
    await clickUi(tab, byTestId('composer-submit'));
    await ctx.heard.until(
      (all) => all.slice(mark).some((e) => e.event === 'new-text-chat' && e.payload.pageKey === normalizePageUrl(view('c')) && (e.payload.chat as { text: string }).text === 'On text that goes away.'),
      WAIT_MS,
      'the comment, on view C',
    );
    expect(ctx.heard.events.slice(mark).filter((e) => e.event === 'new-text-chat').map((e) => e.payload.pageKey)).toEqual([normalizePageUrl(view('c'))]);
    expect(await tab.$(inUi(byTestId('composer')))).toBeNull();
    await waitForHighlights(tab, 2);
    expect((await highlightState(tab)).texts.sort()).toEqual(['nobody is reading it', 'stays on the screen']);
  });
});
