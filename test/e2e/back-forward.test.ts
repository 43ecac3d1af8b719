import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../support/clients.js';
import { closeAll, glossBrowser, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import { byTestId, createConversation, WAIT_MS, waitForHighlights, waitForUiText, waitForViewers } from './support/gloss-ui.js';
import { useBobOnPages } from './support/bob-on-pages.js';

/**
 * Leaving a page by a link and coming back with Back: Chromium keeps the page whole in its
 * back/forward cache (same document, same content script), Firefox loads it again here. Either way
 * the other readers must see the tab leave and come back, and the tab must work when it is back.
 * Bob is a plain socket.io client on the page.
 */
const ctx = useBobOnPages();

describe.each(['chromium', 'firefox'] as const)('in %s', (kind) => {
  let g: GlossBrowser;
  let tab: Page;

  beforeAll(async () => {
    g = await glossBrowser(kind, kind === 'chromium' ? 'C' : 'F', { serverUrl: ctx.server.url, name: 'Sam' });
    ctx.browsers.push(g);
  });

  afterAll(async () => {
    await closeAll(tab);
  });

  it('a page left by a link and come back to with Back is joined again and works; Forward leaves it again', async () => {
    const a = ctx.pages.url('article.html', `bf-${kind}`);
    const b = ctx.pages.url('spa.html', `bf-${kind}`);
    expect((await request(ctx.bob, 'page:join', { url: a })).ok).toBe(true);
    const chat = { id: randomUUID(), url: a, target: { selector: [{ type: 'TextQuoteSelector', exact: 'change impact analysis', prefix: '', suffix: '' }] }, text: 'On A.' };
    expect((await request(ctx.bob, 'text-chat:create', { broadcastId: randomUUID(), chat })).ok).toBe(true);
    tab = await openArticle(g, a);
    await waitForViewers(tab, 2);
    await waitForHighlights(tab, 1);

    let mark = ctx.heard.events.length;
    await Promise.all([tab.waitForNavigation({ waitUntil: 'load' }), tab.evaluate((b: string) => void (location.href = b), b)]);
    await ctx.hears(a, 1, mark, 'the tab leaving A for B');
    const meanwhile = { ...chat, id: randomUUID(), target: { selector: [{ type: 'TextQuoteSelector', exact: 'retest everything', prefix: '', suffix: '' }] }, text: 'While you were away.' };
    expect((await request(ctx.bob, 'text-chat:create', { broadcastId: randomUUID(), chat: meanwhile })).ok).toBe(true);

    mark = ctx.heard.events.length;
    await tab.goBack({ waitUntil: 'load' });
    await ctx.hears(a, 2, mark, 'the tab back on A');
    await waitForUiText(tab, byTestId('connection'), 'live');
    await waitForViewers(tab, 2);
    await waitForHighlights(tab, 2);
    // Bob's change made while the tab was away is there, and the tab's own change reaches Bob.
    const id = await createConversation(tab, '#p-practice', 'smoke suite', 'After coming back.');
    await ctx.heard.until((all) => all.some((e) => e.event === 'new-text-chat' && e.payload.id === id), WAIT_MS, 'the tab\'s conversation at Bob');

    mark = ctx.heard.events.length;
    await tab.goForward({ waitUntil: 'load' });
    await ctx.hears(a, 1, mark, 'the tab leaving A again');
  });
});
