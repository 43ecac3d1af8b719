import { expect, it } from 'vitest';
import { annotateByHand, highlightedShare, uiStyle } from './support/by-hand.js';
import { closeAll, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import { byTestId, waitForHighlights, waitForViewers } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * A page with a strict Content Security Policy (no inline style, no script): the styles the content
 * script puts in our shadow root and the page's <head> are the extension's, not the page's, and must
 * still apply, in both browsers.
 */
let pages: StaticServer;
let browsers: GlossBrowser[];

useGlossSession(
  [
    { kind: 'chromium', label: 'C', name: 'Csp Chromium' },
    { kind: 'firefox', label: 'F', name: 'Csp Firefox' },
  ],
  (s) => {
    ({ pages, browsers } = s);
  },
);

for (const kind of ['chromium', 'firefox'] as const) {
  it(`${kind}: the bar and panel are styled and the highlight rule applies under a strict CSP`, async () => {
    const g = browsers.find((b) => b.kind === kind)!;
    const page = await openArticle(g, pages.url('csp.html', `csp-${kind}`));
    try {
      await waitForViewers(page, 1);
      expect(await uiStyle(page, byTestId('topbar'))).toMatchObject({ display: 'flex', background: 'rgb(255, 255, 255)', fontSize: '13px' });
      await annotateByHand(page, '#p-one', 'no inline styles', 'Styled anyway.');
      await waitForHighlights(page, 1);
      expect(await uiStyle(page, byTestId('panel'))).toMatchObject({ display: 'flex', background: 'rgb(250, 250, 250)' });
      // Painted: most of the highlighted words' box is highlight yellow on screen (white without the rule).
      await page.evaluate(() => document.getSelection()!.removeAllRanges());
      expect(await highlightedShare(page, '#p-one', 'no inline styles')).toBeGreaterThan(0.5);
      expect(await highlightedShare(page, '#p-one', 'This page allows'), 'words that are not highlighted').toBeLessThan(0.05);
    } finally {
      await closeAll(page);
    }
  });
}
