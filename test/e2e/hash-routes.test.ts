import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, request, type TestSocket } from '../support/clients.js';
import { closeAll, glossBrowser, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import { byTestId, conversationCss, conversationIds, openPanel, setHash, showsOnly, typeInUi, waitForUiText, waitForViewers } from './support/gloss-ui.js';
import { useBobOnPages } from './support/bob-on-pages.js';

/**
 * A hash-routed app (test/e2e/pages/hash-router.html) keeps its route in the fragment: `#/inbox`,
 * `#/settings`, `#!/item/42` are pages of their own, each with its conversations and its readers,
 * while `#part-2` is a place on the start view, the same page as the document. Bob is a plain
 * socket.io client on every route and Carol on the settings only, so each route has its own count.
 */
const ctx = useBobOnPages();

/** Whether the tab still shows the document it was opened with (a reload would have lost the mark). */
const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { glossTestMark?: boolean }).glossTestMark === true);

describe.each(['chromium', 'firefox'] as const)('in %s', (kind) => {
  let g: GlossBrowser;
  let tab: Page;
  let carol: TestSocket;
  const start = () => ctx.pages.url('hash-router.html', kind);
  const route = (r: string) => `${start()}#${r}`;
  let onStart: string;
  let onInbox: string;
  let onSettings: string;

  beforeAll(async () => {
    g = await glossBrowser(kind, kind === 'chromium' ? 'C' : 'F', { serverUrl: ctx.server.url, name: 'Sam' });
    ctx.browsers.push(g);
    for (const url of [start(), route('/inbox'), route('/settings'), route('!/item/42')]) expect((await request(ctx.bob, 'page:join', { url })).ok).toBe(true);
    carol = (await connect(ctx.server.url, { name: 'Carol' })).socket;
    expect((await request(carol, 'page:join', { url: route('/settings') })).ok).toBe(true);
    onStart = await ctx.seed(start(), 'first part welcomes every reader', 'Said on the start view.');
    onInbox = await ctx.seed(route('/inbox'), 'three unread letters', 'Said on the inbox.');
    onSettings = await ctx.seed(route('/settings'), 'notification sound', 'Said on the settings.');
  });

  afterAll(async () => {
    carol?.close();
    await closeAll(tab);
  });

  it('switching the hash route moves the tab, its conversations and its count, to the new route without a reload', async () => {
    tab = await openArticle(g, start());
    await waitForViewers(tab, 2);
    await openPanel(tab);
    await showsOnly(tab, [onStart], ['first part welcomes every reader'], 'the start view\'s conversation');
    await tab.evaluate(() => void ((window as unknown as { glossTestMark: boolean }).glossTestMark = true));

    let mark = ctx.heard.events.length;
    await setHash(tab, '#/inbox');
    await ctx.hears(start(), 1, mark, 'the tab leaving the start view for the inbox');
    await ctx.hears(route('/inbox'), 2, mark, 'the tab on the inbox');
    await showsOnly(tab, [onInbox], ['three unread letters'], 'the inbox\'s conversation, and the start view\'s gone');
    await waitForViewers(tab, 2);
    await waitForUiText(tab, byTestId('connection'), 'live');

    // A click on the app's own link: the settings have Carol too.
    mark = ctx.heard.events.length;
    await tab.click('#to-settings');
    await ctx.hears(route('/inbox'), 1, mark, 'the tab leaving the inbox for the settings');
    await ctx.hears(route('/settings'), 3, mark, 'the tab on the settings');
    await showsOnly(tab, [onSettings], ['notification sound'], 'the settings\' conversation');
    await waitForViewers(tab, 3);

    // Back is the inbox again; then a hashbang route nobody has written on.
    mark = ctx.heard.events.length;
    await tab.evaluate(() => history.back());
    await ctx.hears(route('/settings'), 2, mark, 'the tab leaving the settings after back');
    await showsOnly(tab, [onInbox], ['three unread letters'], 'the inbox\'s conversation again');
    await waitForViewers(tab, 2);

    mark = ctx.heard.events.length;
    await setHash(tab, '#!/item/42');
    await ctx.hears(route('/inbox'), 1, mark, 'the tab leaving the inbox for item 42');
    await ctx.hears(route('!/item/42'), 2, mark, 'the tab on item 42');
    await showsOnly(tab, [], [], 'no conversation on item 42');
    expect(await sameDocument(tab)).toBe(true);
  });

  it('a jump to an anchor is the same page: the tab stays, and so do its conversations and a reply being typed', async () => {
    // Leaving the route for an anchor of the start view is a move, to the start view.
    let mark = ctx.heard.events.length;
    await setHash(tab, '#part-1');
    await ctx.hears(route('!/item/42'), 1, mark, 'the tab leaving item 42 for the start view');
    await showsOnly(tab, [onStart], ['first part welcomes every reader'], 'the start view\'s conversation');
    await waitForViewers(tab, 2);
    await waitForUiText(tab, byTestId('connection'), 'live');

    mark = ctx.heard.events.length;
    await typeInUi(tab, `${conversationCss(onStart)} ${byTestId('reply-input')}`, 'Half a reply');
    const scrolled = await tab.evaluate(() => scrollY);
    await tab.click('#to-part-2');
    await tab.waitForFunction((before: number) => location.hash === '#part-2' && scrollY > before, { polling: 50 }, scrolled);
    expect(await conversationIds(tab)).toEqual([onStart]);
    expect(await tab.evaluate((css: string) => document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLTextAreaElement>(css)!.value, `${conversationCss(onStart)} ${byTestId('reply-input')}`)).toBe('Half a reply');

    // Then a real move: Bob's count for the start view goes from 2 to 1 once, with no leave and join in between.
    await setHash(tab, '#/inbox');
    await ctx.hears(start(), 1, mark, 'the tab leaving the start view');
    expect(ctx.countsFor(start(), mark)).toEqual([1]);
    await showsOnly(tab, [onInbox], ['three unread letters'], 'the inbox\'s conversation');
    expect(await sameDocument(tab)).toBe(true);
  });
});
