import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { forceColours } from './support/colour-scenes.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { waitForViewers } from './support/gloss-ui.js';
import { POPUP_PATH, popupBadge, tabIdOf } from './support/popup.js';
import { popupForcedExpected, popupForcedFindings } from './support/popup-colours.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * The popup under forced colours in Chromium (CDP's forced-colors emulation), over a light and a dark
 * system scheme: the checks of support/popup-colours.ts (Firefox's are in colour-schemes-firefox.test.ts).
 */
let pages: StaticServer;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'P', name: 'Pia' }], (s) => {
  ({ pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});

/** The popup page in a tab, describing `tab` (`?tabId=`, as the toolbar popup describes the active tab), under forced colours. */
async function forcedPopupFor(tab: Page, scheme: 'light' | 'dark'): Promise<Page> {
  const popup = await g.newPage(`${g.extensionOrigin}/${POPUP_PATH}?tabId=${await tabIdOf(g, tab)}`);
  await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
  await forceColours(popup);
  // Chromium paints its own (\`outline-style: auto\`) focus ring only in a focused window, which a
  // headless tab opened by the test may not be: the first popup measured showed none at all.
  const cdp = await popup.createCDPSession();
  await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: true });
  return popup;
}

for (const scheme of ['light', 'dark'] as const) {
  it(`under forced colours over a ${scheme} scheme, every popup control has a visible edge and a focus ring of 3:1 or more, disabled is GrayText, every text readable`, async () => {
    const article = await openArticle(g, pages.url('article.html', `popup-forced-${scheme}`));
    const blank = await g.newPage('about:blank');
    let live: Page | undefined;
    let unavailable: Page | undefined;
    try {
      await waitForViewers(article, 1);
      live = await forcedPopupFor(article, scheme);
      unavailable = await forcedPopupFor(blank, scheme);
      await popupBadge(live, 'live');
      await popupBadge(unavailable, 'unavailable');
      expect(await live.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
      const found = await popupForcedFindings(live, unavailable);
      expect(found).toEqual(popupForcedExpected(found, 'chromium'));
    } finally {
      await closeAll(live, unavailable, blank, article);
    }
  });
}
