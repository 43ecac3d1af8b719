import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import { glossBrowser, openArticle } from './support/gloss-browser.js';
import { useBobOnPages } from './support/bob-on-pages.js';
import { byTestId, clickUi, conversationCss, openPanel, POLL_MS, waitForHighlights, WAIT_MS } from './support/gloss-ui.js';

/**
 * "Show in the page" (a click on a card's quote) brings the quoted words into the window, also when
 * they sit in a paragraph taller than the window (test/e2e/pages/tall.html: several screens of one
 * block). Centring such a paragraph, as was done, left words near its start above the window and
 * words near its end below it.
 */
const ctx = useBobOnPages();

/** Where `word` is in the window once the page's scrolling is over, with the window's height. */
async function wordAfterScroll(tab: Page, word: string) {
  return tab.evaluate(
    (word: string) =>
      new Promise<{ top: number; bottom: number; innerHeight: number; scrollY: number }>((resolve) => {
        let last = -1;
        let still = 0;
        // Settled: the same scroll position over five frames (a smooth scroll moves every frame).
        const tick = () => {
          still = scrollY === last ? still + 1 : 0;
          last = scrollY;
          if (still < 5) return requestAnimationFrame(tick);
          const text = document.querySelector('#tall')!.firstChild as Text;
          const r = document.createRange();
          r.setStart(text, text.data.indexOf(word));
          r.setEnd(text, text.data.indexOf(word) + word.length);
          const box = r.getBoundingClientRect();
          resolve({ top: box.top, bottom: box.bottom, innerHeight, scrollY });
        };
        requestAnimationFrame(tick);
      }),
    word,
  );
}

for (const kind of ['chromium', 'firefox'] as const)
  it(`${kind}: a click on a quote shows its words in the window, near the start and near the end of a paragraph taller than the window`, async () => {
    const g = await glossBrowser(kind, `SHOW-${kind}`, { serverUrl: ctx.server.url, name: 'Reader' });
    ctx.browsers.push(g);
    const url = ctx.pages.url('tall.html', `show-in-page-${kind}`);
    const opening = await ctx.seed(url, 'openingmarker', 'Near the start.');
    const closing = await ctx.seed(url, 'closingmarker', 'Near the end.');
    const tab = await openArticle(g, url);
    await tab.setViewport({ width: 900, height: 700 });
    await waitForHighlights(tab, 2);
    const tall = await tab.evaluate(() => document.querySelector('#tall')!.getBoundingClientRect().height);
    expect(tall, 'the paragraph is taller than two windows').toBeGreaterThan(2 * 700);
    await openPanel(tab);
    for (const [id, word, from] of [
      [opening, 'openingmarker', 'bottom'],
      [closing, 'closingmarker', 'top'],
    ] as const) {
      await tab.evaluate((from: string) => window.scrollTo({ top: from === 'top' ? 0 : document.documentElement.scrollHeight, behavior: 'instant' }), from);
      await tab.waitForFunction((from: string) => (from === 'top' ? scrollY === 0 : scrollY > 0), { timeout: WAIT_MS, polling: POLL_MS }, from);
      await clickUi(tab, `${conversationCss(id)} ${byTestId('quote')}`);
      const box = await wordAfterScroll(tab, word);
      expect(box.top, `${word} (scrolled from the ${from}) below the window's top: ${JSON.stringify(box)}`).toBeGreaterThanOrEqual(0);
      expect(box.bottom, `${word} (scrolled from the ${from}) above the window's bottom: ${JSON.stringify(box)}`).toBeLessThanOrEqual(box.innerHeight);
    }
  });
