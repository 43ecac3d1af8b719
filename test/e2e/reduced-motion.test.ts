import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, conversationCss, createConversation, POLL_MS, WAIT_MS, waitForViewers } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * "Show in the page" (a click on a conversation's quote) scrolls the page to the quoted text. For a
 * reader who asked their system for reduced motion, that is one jump, not an animated glide through
 * the page: told apart by counting the page's scroll events until its scrollend (one for a jump, one
 * per frame for a glide), not by timing.
 */
let pages: StaticServer;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'M', name: 'Motion' }], (s) => {
  ({ pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});

async function scrollEventsOfShowInPage(reduce: boolean): Promise<number> {
  const article = await openArticle(g, pages.url('article.html', `motion-${reduce}`));
  try {
    await article.emulateMediaFeatures([{ name: 'prefers-reduced-motion', value: reduce ? 'reduce' : 'no-preference' }]);
    await waitForViewers(article, 1);
    const id = await createConversation(article, '#p-closing', (await article.$eval('#p-closing', (p) => p.textContent!.trim().split(/\s+/).slice(0, 3).join(' '))), 'Far down the page.');
    // Selecting the text scrolled to it (as a reader does): back to the top, that scroll over before counting.
    await article.evaluate(
      () =>
        new Promise<void>((resolve) => {
          if (window.scrollY === 0) return resolve();
          addEventListener('scrollend', () => resolve(), { once: true });
          window.scrollTo({ top: 0, behavior: 'instant' });
        }),
    );
    await article.evaluate(() => {
      window.scrollTo({ top: 0, behavior: 'instant' });
      const w = window as unknown as { scrolls: number; ended: boolean };
      w.scrolls = 0;
      w.ended = false;
      addEventListener('scroll', () => w.scrolls++);
      addEventListener('scrollend', () => (w.ended = true));
    });
    await clickUi(article, `${conversationCss(id)} ${byTestId('quote')}`);
    await article.waitForFunction(() => (window as unknown as { ended: boolean }).ended, { timeout: WAIT_MS, polling: POLL_MS });
    expect(await article.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    return await article.evaluate(() => (window as unknown as { scrolls: number }).scrolls);
  } finally {
    await closeAll(article);
  }
}

it('with reduced motion asked for, "Show in the page" jumps to the text in one scroll', async () => {
  expect(await scrollEventsOfShowInPage(true)).toBe(1);
});

it('without it, the page glides there (the control: more than one scroll event)', async () => {
  expect(await scrollEventsOfShowInPage(false)).toBeGreaterThan(1);
});
