import type { Page } from 'puppeteer';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WINDOW_FROM } from '../../extension/content/highlighter/paint-window.js';
import { uuidv7 } from '../../protocol/ids.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { closeAll, glossBrowser, type GlossBrowser } from './support/gloss-browser.js';
import { waitForUi } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { serveOnePage } from './support/one-page-site.js';

/**
 * A page of more highlights than WINDOW_FROM registers in `gloss` only those near the viewport
 * (extension/content/highlighter/paint-window.ts, visible-ranges.ts), and follows the reader: the
 * window scrolled, a scrolling box inside the page scrolled, the layout changed without any DOM
 * change (padding on <body>: nothing re-anchors, the positions kept are stale). Below the threshold
 * every one is registered, as always. In Chromium and Firefox ESR, read from the page's CSS.highlights.
 */
const N = 1_200;
/** Below the threshold: one conversation every 24 paragraphs, from the top to the bottom of the page. */
const FEW = 50;

let server: ServerProcess;
let site: Awaited<ReturnType<typeof serveOnePage>> | undefined;
let origin: string;
let browsers: GlossBrowser[] = [];

printLogsOnFailure(() => browsers);

const quote = (i: number) => `something of its own, number ${i}.`;
const BOX_QUOTE = 'the end of the scrolling box';
const paragraph = (i: number) => `<p id="p-${i}">Paragraph ${i} of a long page says something of its own, number ${i}.</p>`;
// No scroll anchoring: the padding added above must move the text under the viewport, as on a page
// whose browser does not anchor (Chromium and Firefox would scroll along with it).
const html =
  `<!doctype html><html><head><meta charset="utf-8"><title>A long page</title></head><body style="overflow-anchor:none;font:16px/20px sans-serif">` +
  `<div id="box" style="height:200px;overflow:auto"><div style="height:6000px">A tall box.</div><p id="box-end">This is ${BOX_QUOTE}, scrolled to.</p></div>` +
  `${Array.from({ length: N }, (_, i) => paragraph(i)).join('')}</body></html>`;

beforeAll(async () => {
  // The peer seeds the page faster than an ordinary user may write.
  server = await startServerProcess({ env: { GLOSS_RATE_PER_SECOND: '100000', GLOSS_RATE_BURST: '100000' } });
  site = await serveOnePage('/long.html', html);
  origin = site.origin;
  browsers = [
    await glossBrowser('chromium', 'paint-window', { serverUrl: server.url, name: 'Reader' }),
    await glossBrowser('firefox', 'paint-window-firefox', { serverUrl: server.url, name: 'Fiona' }),
  ];
});

afterAll(async () => {
  await closeAll(...browsers);
  await site?.close();
  await server?.stop();
});

/** A peer writes a conversation on each quote, 100 at a time. */
async function seed(url: string, quotes: string[]): Promise<void> {
  const peer: Socket = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { anonymousId: crypto.randomUUID(), name: 'Peer' } });
  try {
    await new Promise<void>((resolve, reject) => {
      peer.once('connect', () => resolve());
      peer.once('connect_error', reject);
    });
    expect(((await peer.emitWithAck('page:join', { url })) as { ok: boolean }).ok).toBe(true);
    for (let i = 0; i < quotes.length; i += 100) {
      await Promise.all(
        quotes.slice(i, i + 100).map(async (exact) => {
          const id = uuidv7();
          const ack = (await peer.emitWithAck('text-chat:create', { broadcastId: id, chat: { id, url, target: { selector: [{ type: 'TextQuoteSelector', exact }] }, text: 'A note' } })) as { ok: boolean };
          expect(ack.ok).toBe(true);
        }),
      );
    }
  } finally {
    peer.close();
  }
}

/** The text of every range registered in `gloss`. */
const registered = (page: Page): Promise<string[]> =>
  page.evaluate(() => [...((CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('gloss') ?? [])].map((r) => r.toString()));

/** Waits until `gloss` holds every quote of `wanted` and none of `not`; the error says what it held. */
async function waitRegistered(page: Page, what: string, wanted: string[], not: string[] = []): Promise<void> {
  try {
    await page.waitForFunction(
      (wanted: string[], not: string[]) => {
        const texts = new Set([...((CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('gloss') ?? [])].map((r) => r.toString()));
        return wanted.every((t) => texts.has(t)) && !not.some((t) => texts.has(t));
      },
      { timeout: 10_000, polling: 50 },
      wanted,
      not,
    );
  } catch (e) {
    const now = await registered(page);
    throw new Error(`${what}: ${now.length} registered, of ${JSON.stringify(wanted)} missing ${JSON.stringify(wanted.filter((t) => !now.includes(t)))}, of ${JSON.stringify(not)} present ${JSON.stringify(not.filter((t) => now.includes(t)))}: ${(e as Error).message}`);
  }
}

/** The number of the paragraph at the middle of the viewport. */
const inView = (page: Page): Promise<number> =>
  page.evaluate(() => {
    const el = document.elementFromPoint(innerWidth / 3, innerHeight / 2)?.closest('p');
    return Number(el?.id.replace('p-', '') ?? NaN);
  });

for (const [index, kind] of ['Chromium', 'Firefox ESR'].entries()) {
  it(`${kind}: a page of ${N} highlights registers those near the viewport, following the window's scroll, a scrolling box's and a layout change`, async () => {
    expect(N).toBeGreaterThan(WINDOW_FROM);
    const url = `${origin}/long.html?run=many-${index}`;
    await seed(url, [BOX_QUOTE, ...Array.from({ length: N }, (_, i) => quote(i))]);
    const page = await browsers[index]!.newPage(url);
    await waitForUi(page);
    await page.waitForFunction((n: number) => document.documentElement.dataset.glossHighlights === String(n), { timeout: 60_000, polling: 100 }, N + 1);

    // At the top: the first paragraphs, not the last, nor the box's end, 6,000 px down inside it.
    await waitRegistered(page, 'at the top', [quote(0), quote(20)], [quote(N - 1), quote(N / 2), BOX_QUOTE]);
    expect((await registered(page)).length).toBeLessThan(N / 2);

    // The box scrolled to its end: its last words are in view, and painted.
    await page.evaluate(() => document.getElementById('box')!.scrollTo(0, 1e6));
    await waitRegistered(page, 'the box scrolled to its end', [BOX_QUOTE, quote(0)], [quote(N - 1)]);

    // The window scrolled to the bottom.
    await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
    await waitRegistered(page, 'at the bottom', [quote(N - 1), quote(N - 20)], [quote(0), quote(N / 2)]);

    // The middle, then the layout moved under it: 8,000 px of padding above, no DOM change.
    await page.evaluate(() => document.getElementById('p-600')!.scrollIntoView());
    await waitRegistered(page, 'at the middle', [quote(600), quote(610)], [quote(0), quote(N - 1)]);
    // Past the re-measure after scrolling settles: only the layout change itself can tell now.
    await new Promise((r) => setTimeout(r, 500));
    await page.evaluate(() => (document.body.style.paddingTop = '8000px'));
    const now = await inView(page);
    expect(now, 'the text moved under the viewport').toBeLessThan(400);
    await waitRegistered(page, `after the layout changed (paragraph ${now} in view)`, [quote(now), quote(now + 5)], [quote(600 + 100)]);
    await page.close();
  });

  it(`${kind}: below the threshold every highlight is registered, far ones too`, async () => {
    const url = `${origin}/long.html?run=few-${index}`;
    const quotes = Array.from({ length: FEW }, (_, i) => quote(i * 24));
    await seed(url, quotes);
    const page = await browsers[index]!.newPage(url);
    await waitForUi(page);
    await waitRegistered(page, 'all of them', quotes);
    expect((await registered(page)).length).toBe(FEW);
    await page.close();
  });
}
