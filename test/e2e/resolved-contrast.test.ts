import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { measureColours, type Measured } from './support/contrast.js';
import { toggleResolved } from './support/faults-ui.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { conversationCss, createConversation, waitForViewers } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * A resolved conversation is drawn quieter than an open one, yet its text stays readable: WCAG's
 * 4.5:1 for text. Measured on the colours Chromium renders (support/contrast.ts). The same in the
 * dark scheme and under forced colours: colour-schemes.test.ts.
 */
let pages: StaticServer;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'C', name: 'Contrast' }], (s) => {
  ({ pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});

it('a resolved conversation is quieter than an open one, and all its text keeps a contrast of at least 4.5:1', async () => {
  const article = await openArticle(g, pages.url('article.html', 'contrast'));
  try {
    await waitForViewers(article, 1);
    const phrase = async (css: string) => article.$eval(css, (p) => p.textContent!.trim().split(/\s+/).slice(0, 3).join(' '));
    const open = await createConversation(article, '#p-definition', await phrase('#p-definition'), 'Still open.');
    const resolved = await createConversation(article, '#p-closing', await phrase('#p-closing'), 'Settled now.');
    await toggleResolved(article, resolved);
    await article.locator(`gloss-root >>> ${conversationCss(resolved)} [data-testid="resolve"]`).wait();

    const quiet = (await article.evaluate(measureColours, { host: 'gloss-root', within: conversationCss(resolved) })).texts;
    const loud = (await article.evaluate(measureColours, { host: 'gloss-root', within: conversationCss(open) })).texts;
    const comment = (m: Measured[]) => m.find((x) => x.what.startsWith('div.text'))!.ratio;

    expect(quiet.map((m) => m.what)).toEqual(expect.arrayContaining(['div.text', 'span.author', 'button.quote', 'textarea::placeholder']));
    expect(quiet.filter((m) => m.ratio < 4.5)).toEqual([]);
    expect(comment(quiet)).toBeLessThan(comment(loud));
  } finally {
    await closeAll(article);
  }
});
