import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { MARGIN, forceColours, FORCED_EXPECTED, isAccent, forcedFindings, markedAndActive, phraseOf, showEveryUiText } from './support/colour-scenes.js';
import { measureColours, type Colours } from './support/contrast.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, conversationCss, createConversation, inUi, waitForUiText, waitForViewers, WAIT_MS } from './support/gloss-ui.js';
import { POPUP_PATH, popupBadge, tabIdOf } from './support/popup.js';
import { saveSettingsThroughForm } from './support/settings.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * The in-page UI and the popup follow the reader's colour scheme: in dark, dark surfaces and every
 * text at 4.5:1 or more on what is painted under it (measured on the colours Chromium renders,
 * support/contrast.ts), and the same in light. Under forced colours (Windows High Contrast) nothing
 * that carries meaning is lost: annotated text stays marked, told apart from the reader's own
 * selection; the active conversation and the state pill keep an outline, keyboard focus shows a ring of 3:1; text stays readable.
 */
let pages: StaticServer;
let server: ServerProcess;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'D', name: 'Dana' }], (s) => {
  ({ pages, server } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});

type Scheme = 'light' | 'dark';
const unreadable = (c: Colours) => c.texts.filter((m) => m.ratio < 4.5);
const thinAccents = (...c: Colours[]) => c.flatMap((m) => m.texts).filter((m) => isAccent(m.what) && m.ratio < MARGIN);
/** Relative luminance bounds for "a dark surface" and "a light one" (#1c1c1e is 0.012, #2c2c2e 0.025, #fafafa 0.956). */
const isSurfaceOf = (scheme: Scheme, luminance: number) => (scheme === 'dark' ? luminance < 0.05 : luminance > 0.8);

for (const scheme of ['dark', 'light'] as const) {
  it(`in the ${scheme} scheme, the bar, the panel with an open and a resolved conversation, the Annotate button and the composer are ${scheme}, with every text at 4.5:1 or more`, async () => {
    const article = await openArticle(g, pages.url('article.html', `scheme-${scheme}`));
    try {
      await article.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await waitForViewers(article, 1);
      const { bar, panel, composer, annotate } = await showEveryUiText(article);
      const shown = (c: Colours) => c.texts.map((m) => m.what);

      // Each card's comment holds a link (ui/CommentText.tsx): one in the open card, one in the resolved.
      expect(shown(panel)).toEqual(expect.arrayContaining(['div.text', 'a.', 'span.author', 'button.quote', 'textarea::placeholder', 'span.problem']));
      expect(shown(panel).filter((w) => w === 'a.')).toHaveLength(2);
      expect(shown(bar)).toContain('span.state live');
      expect(shown(composer)).toEqual(expect.arrayContaining(['textarea::placeholder', 'span.problem', 'button.primary']));
      expect(shown(annotate)).toHaveLength(1);
      // (The Annotate button is the accent blue in both schemes.)
      expect({ bar: bar.background, panel: panel.background, composer: composer.background }).toEqual({
        bar: expect.toSatisfy((l: number) => isSurfaceOf(scheme, l)),
        panel: expect.toSatisfy((l: number) => isSurfaceOf(scheme, l)),
        composer: expect.toSatisfy((l: number) => isSurfaceOf(scheme, l)),
      });
      expect({ bar: unreadable(bar), panel: unreadable(panel), composer: unreadable(composer), annotate: unreadable(annotate) }).toEqual({ bar: [], panel: [], composer: [], annotate: [] });
      expect(thinAccents(panel, composer, annotate)).toEqual([]);
    } finally {
      await closeAll(article);
    }
  });

  it(`in the ${scheme} scheme, the popup (a live tab's state, its viewers and the settings form) is ${scheme}, with every text at 4.5:1 or more`, async () => {
    const article = await openArticle(g, pages.url('article.html', `popup-scheme-${scheme}`));
    let popup: Page | undefined;
    try {
      await waitForViewers(article, 1);
      // The popup page in a tab, describing the article's tab (`?tabId=`), as the toolbar popup does.
      popup = await g.newPage(`${g.extensionOrigin}/${POPUP_PATH}?tabId=${await tabIdOf(g, article)}`);
      await popup.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await popupBadge(popup, 'live');
      const colours = await popup.evaluate(measureColours, { host: null, within: 'body' });

      expect(colours.texts.map((m) => m.what)).toEqual(expect.arrayContaining(['span.state live', 'h2.', 'p.muted', 'input[value]', 'input::placeholder', 'button.primary']));
      expect(unreadable(colours)).toEqual([]);
      expect(thinAccents(colours)).toEqual([]);
      expect(isSurfaceOf(scheme, colours.background)).toBe(true);
    } finally {
      await closeAll(popup, article);
    }
  });
}

it('the viewer count while not live (last known, drawn muted) holds 4.5:1 on the bar, in the light and the dark scheme', async () => {
  // A server of its own, stopped under the tab: the bar keeps the last count, muted (ui/TopBar.tsx, STALE_VIEWERS).
  const going = await startServerProcess();
  const article = await openArticle(g, pages.url('article.html', 'stale-viewers'));
  let popup: Page | undefined;
  try {
    popup = await g.newPage(`${g.extensionOrigin}/${POPUP_PATH}?tabId=${await tabIdOf(g, article)}`);
    await saveSettingsThroughForm(popup, { serverUrl: going.url, name: 'Dana' });
    await waitForUiText(article, byTestId('connection'), 'live');
    await waitForViewers(article, 1);
    going.kill();
    await waitForUiText(article, byTestId('viewers-stale'), '(last known, not live)');
    for (const scheme of ['light', 'dark'] as const) {
      await article.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      const count = await article.evaluate(measureColours, { host: 'gloss-root', within: byTestId('viewers') });
      // 13 px, regular weight: not large text (18 pt, or 14 pt bold), so WCAG AA asks 4.5:1.
      expect(count.texts.map((m) => [m.what, m.text]), scheme).toEqual([['span.stale', '1 viewing']]);
      expect(unreadable(count), scheme).toEqual([]);
    }
  } finally {
    if (popup !== undefined && !popup.isClosed()) await saveSettingsThroughForm(popup, { serverUrl: server.url, name: 'Dana' });
    await closeAll(popup, article);
    await going.stop();
  }
});

/** The article restyled as a dark site (GitHub's dark colours, its grey for quieter text) or left light, with the same grey kind of quieter paragraph. */
const PAGE_STYLES: Record<Scheme, string> = {
  dark: 'body { background: #0d1117; color: #f0f6fc; } #p-closing { color: #9198a1; }',
  light: '#p-closing { color: #59636e; }',
};

for (const scheme of ['dark', 'light'] as const) {
  it(`on a ${scheme} page, the page's text inside a highlight, the active and the hovered one too, keeps 4.5:1 (the highlight does not follow our scheme but the page's colours)`, async () => {
    const article = await openArticle(g, pages.url('article.html', `highlight-on-${scheme}`));
    try {
      await article.addStyleTag({ content: PAGE_STYLES[scheme] });
      await waitForViewers(article, 1);
      await createConversation(article, '#p-definition', await phraseOf(article, '#p-definition'), 'Marked.');
      const active = await createConversation(article, '#p-closing', await phraseOf(article, '#p-closing'), 'Marked and active.');
      await clickUi(article, `${conversationCss(active)} ${byTestId('quote')}`);
      await article.locator(inUi(`${conversationCss(active)}.active`)).setTimeout(WAIT_MS).wait();

      const marked = await article.evaluate(measureColours, { host: null, within: '#p-definition', highlights: ['gloss'] });
      const both = await article.evaluate(measureColours, { host: null, within: '#p-closing', highlights: ['gloss', 'gloss-active'] });
      // Its card pointed at (docs/architecture.md, "Linked hover"): the rule's colours, as they paint over the yellow.
      const hovered = await article.evaluate(measureColours, { host: null, within: '#p-definition', highlights: ['gloss', 'gloss-hover'] });
      expect(isSurfaceOf(scheme, (await article.evaluate(measureColours, { host: null, within: 'body' })).background)).toBe(true);
      expect([...marked.texts, ...both.texts, ...hovered.texts].map((m) => m.what)).toEqual(['p.::highlight(gloss)', 'p.::highlight(gloss, gloss-active)', 'p.::highlight(gloss, gloss-hover)']);
      expect([...unreadable(marked), ...unreadable(both), ...unreadable(hovered)]).toEqual([]);
      expect(hovered.texts[0]!.ratio, 'the hover blue: #1d1d1f on #7cc7ff').toBeCloseTo(9.19, 1);
    } finally {
      await closeAll(article);
    }
  });
}

it('under forced colours, annotated text stays marked and unlike a selection, the active conversation and the state pill keep an outline, keyboard focus shows a ring of 3:1, and all text is readable', async () => {
  const article = await openArticle(g, pages.url('article.html', 'forced'));
  try {
    await waitForViewers(article, 1);
    const ids = await markedAndActive(article);
    await forceColours(article);
    expect(await article.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
    const found = await forcedFindings(article, ids);
    expect(found.activeCard).not.toBe(found.otherCard);
    expect({ unreadable: found.unreadable, faintRings: found.faintRings, pill: found.pill, mark: found.mark }).toEqual(FORCED_EXPECTED);
  } finally {
    await closeAll(article);
  }
});
