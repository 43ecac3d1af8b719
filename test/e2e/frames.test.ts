import { randomUUID } from 'node:crypto';
import type { Frame, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizePageUrl } from '../../protocol/url.js';
import { request } from '../support/clients.js';
import { closeAll, glossBrowser, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import { byTestId, createConversation, WAIT_MS, waitForHighlights, waitForUiText, waitForViewers } from './support/gloss-ui.js';
import { useBobOnPages } from './support/bob-on-pages.js';
import { waitFor } from './support/wait.js';

/**
 * Gloss runs in the top frame only (`all_frames: false`, and the worker refuses a port from a
 * sub-frame): a tab is one reader of the page in its address bar. A page that embeds others (here
 * one of its own origin and one of another) gets one top bar, counts the tab once, and the embedded
 * pages neither show Gloss nor count the tab as their reader, even when they have conversations.
 * Annotating text inside a frame is not offered (docs/architecture.md, "Frames").
 */
const ctx = useBobOnPages();

/** What Gloss left in a frame's document: its root elements and the highlight mirror. */
async function glossIn(frame: Frame): Promise<{ roots: number; highlights: string | null }> {
  return frame.evaluate(() => ({ roots: document.querySelectorAll('gloss-root').length, highlights: document.documentElement.dataset.glossHighlights ?? null }));
}

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

  it('a page with a same-origin and a cross-origin frame: one top bar, the tab counted once, on the top page only', async () => {
    const top = ctx.pages.url('frames.html', `frames-${kind}`);
    const same = `${ctx.pages.origin}/article.html?run=${encodeURIComponent(`frames-${kind}-same`)}`;
    const cross = `${ctx.pages.origin.replace('127.0.0.1', 'localhost')}/article.html?run=${encodeURIComponent(`frames-${kind}-cross`)}`;
    for (const url of [top, same, cross]) expect((await request(ctx.bob, 'page:join', { url })).ok).toBe(true);
    // A conversation on the embedded page: it must not be painted into the frame.
    const chat = { id: randomUUID(), url: same, target: { selector: [{ type: 'TextQuoteSelector', exact: 'change impact analysis', prefix: '', suffix: '' }] }, text: 'On the framed page.' };
    expect((await request(ctx.bob, 'text-chat:create', { broadcastId: randomUUID(), chat })).ok).toBe(true);

    tab = await openArticle(g, top);
    await waitForViewers(tab, 2);
    await waitForUiText(tab, byTestId('connection'), 'live');
    const frames = await waitFor('both frames loaded', async () => {
      const loaded = [];
      for (const f of tab.frames()) {
        if (f === tab.mainFrame()) continue;
        if ((await f.evaluate(() => document.readyState === 'complete' && !!document.getElementById('p-growth')).catch(() => false))) loaded.push(f);
      }
      return loaded.length === 2 ? loaded : null;
    });
    expect(frames.map((f) => f.url()).sort()).toEqual([cross, same].sort());

    // Something the tab does on the top page and sees confirmed: by then a content script that ran
    // in a frame would have joined its page too.
    const id = await createConversation(tab, '#intro', 'embeds two articles', 'On the top page.');
    await ctx.heard.until((all) => all.some((e) => e.event === 'new-text-chat' && e.payload.id === id), WAIT_MS, 'the top page\'s conversation at Bob');
    await waitForHighlights(tab, 1);

    expect(await glossIn(tab.mainFrame())).toEqual({ roots: 1, highlights: '1' });
    for (const frame of frames) expect(await glossIn(frame), frame.url()).toEqual({ roots: 0, highlights: null });
    const counts = (url: string) => ctx.heard.events.filter((e) => e.event === 'presence' && e.payload.pageKey === normalizePageUrl(url)).map((e) => e.payload.viewers);
    expect(counts(same), 'the same-origin frame\'s page').toEqual([1]);
    expect(counts(cross), 'the cross-origin frame\'s page').toEqual([1]);
    expect(counts(top).at(-1)).toBe(2);
  });
});
