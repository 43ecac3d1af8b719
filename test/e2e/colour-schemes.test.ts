import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { measureColours, type Colours } from './support/contrast.js';
import { toggleResolved } from './support/faults-ui.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, conversationCss, createConversation, inUi, selectText, waitForViewers, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import { dominant, inkByRow, pixelsOf } from './support/pixels.js';
import { POPUP_PATH, popupBadge, tabIdOf } from './support/popup.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * The in-page UI and the popup follow the reader's colour scheme: in dark, dark surfaces and every
 * text at 4.5:1 or more on what is painted under it (measured on the colours Chromium renders,
 * support/contrast.ts), and the same in light. Under forced colours (Windows High Contrast) nothing
 * that carries meaning is lost: annotated text stays marked, told apart from the reader's own
 * selection; the active conversation and the state pill keep an outline; text stays readable.
 */
let pages: StaticServer;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'D', name: 'Dana' }], (s) => {
  ({ pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});

type Scheme = 'light' | 'dark';
const inGloss = (page: Page, within: string) => page.evaluate(measureColours, { host: 'gloss-root', within });
const unreadable = (c: Colours) => c.texts.filter((m) => m.ratio < 4.5);
/** Relative luminance bounds for "a dark surface" and "a light one" (#1c1c1e is 0.012, #2c2c2e 0.025, #fafafa 0.956). */
const isSurfaceOf = (scheme: Scheme, luminance: number) => (scheme === 'dark' ? luminance < 0.05 : luminance > 0.8);

async function phraseOf(page: Page, css: string): Promise<string> {
  return page.$eval(css, (p) => p.textContent!.trim().split(/\s+/).slice(0, 3).join(' '));
}

/** The forced-colours emulation (puppeteer's emulateMediaFeatures refuses `forced-colors`); Chromium then paints with system colours, as Windows High Contrast does. */
async function forceColours(page: Page): Promise<void> {
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }] });
}

for (const scheme of ['dark', 'light'] as const) {
  it(`in the ${scheme} scheme, the bar, the panel with an open and a resolved conversation, the Annotate button and the composer are ${scheme}, with every text at 4.5:1 or more`, async () => {
    const article = await openArticle(g, pages.url('article.html', `scheme-${scheme}`));
    try {
      await article.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await waitForViewers(article, 1);
      const open = await createConversation(article, '#p-definition', await phraseOf(article, '#p-definition'), 'Still open: see https://example.org/notes.');
      const resolved = await createConversation(article, '#p-closing', await phraseOf(article, '#p-closing'), 'Settled, as https://example.org/faq says.');
      await toggleResolved(article, resolved);
      // A problem text: a reply sent empty.
      await clickUi(article, `${conversationCss(open)} ${byTestId('reply-submit')}`);
      await article.locator(inUi(`${conversationCss(open)} .problem`)).setTimeout(WAIT_MS).wait();

      await selectText(article, '#p-practice', await phraseOf(article, '#p-practice'));
      await article.locator(inUi(byTestId('annotate-button'))).setTimeout(WAIT_MS).wait();
      const annotate = await inGloss(article, byTestId('annotate-button'));
      await clickUi(article, byTestId('annotate-button'));
      // The composer refusing an empty comment: its placeholder and its problem text.
      await clickUi(article, byTestId('composer-submit'));
      await article.locator(inUi(byTestId('composer-problem'))).setTimeout(WAIT_MS).wait();

      const bar = await inGloss(article, byTestId('topbar'));
      const panel = await inGloss(article, byTestId('panel'));
      const composer = await inGloss(article, byTestId('composer'));
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
      expect(isSurfaceOf(scheme, colours.background)).toBe(true);
    } finally {
      await closeAll(popup, article);
    }
  });
}

/** The article restyled as a dark site (GitHub's dark colours, its grey for quieter text) or left light, with the same grey kind of quieter paragraph. */
const PAGE_STYLES: Record<Scheme, string> = {
  dark: 'body { background: #0d1117; color: #f0f6fc; } #p-closing { color: #9198a1; }',
  light: '#p-closing { color: #59636e; }',
};

for (const scheme of ['dark', 'light'] as const) {
  it(`on a ${scheme} page, the page's text inside a highlight, the active one too, keeps 4.5:1 (the highlight does not follow our scheme but the page's colours)`, async () => {
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
      expect(isSurfaceOf(scheme, (await article.evaluate(measureColours, { host: null, within: 'body' })).background)).toBe(true);
      expect([...marked.texts, ...both.texts].map((m) => m.what)).toEqual(['p.::highlight(gloss)', 'p.::highlight(gloss, gloss-active)']);
      expect([...unreadable(marked), ...unreadable(both)]).toEqual([]);
    } finally {
      await closeAll(article);
    }
  });
}

it('under forced colours, annotated text stays marked and unlike a selection, the active conversation and the state pill keep an outline, and all text is readable', async () => {
  const article = await openArticle(g, pages.url('article.html', 'forced'));
  try {
    await waitForViewers(article, 1);
    const marked = await createConversation(article, '#p-closing', 'regression testing', 'Under forced colours.');
    const other = await createConversation(article, '#p-growth', await phraseOf(article, '#p-growth'), 'The active one.');
    await clickUi(article, `${conversationCss(other)} ${byTestId('quote')}`);
    await article.locator(inUi(`${conversationCss(other)}.active`)).setTimeout(WAIT_MS).wait();
    await forceColours(article);
    expect(await article.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);

    const bar = await inGloss(article, byTestId('topbar'));
    const panel = await inGloss(article, byTestId('panel'));
    expect(bar.texts.map((m) => m.what)).toContain('span.state live');
    expect({ bar: unreadable(bar), panel: unreadable(panel) }).toEqual({ bar: [], panel: [] });
    const outline = (css: string) =>
      article.$eval('gloss-root', (host, css) => {
        const s = getComputedStyle(host.shadowRoot!.querySelector(css)!);
        return `${s.borderTopWidth} ${s.borderTopStyle} ${s.borderTopColor}`;
      }, css);
    expect(await outline(byTestId('connection'))).toMatch(/^1px solid /);
    expect(await outline(conversationCss(other))).not.toBe(await outline(conversationCss(marked)));

    // The same two words three times: annotated, plain, and selected by the reader.
    await clickUi(article, byTestId('panel-toggle'));
    await waitInUi(article, 'the panel closed', (root) => !root.querySelector('[data-testid="panel"]'), null);
    const clip = async (within: string, select: boolean) => {
      const rect = await article.$eval(within, (p, select) => {
        const text = [...p.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes('regression testing'))!;
        const range = document.createRange();
        range.setStart(text, text.textContent!.indexOf('regression testing'));
        range.setEnd(text, text.textContent!.indexOf('regression testing') + 'regression testing'.length);
        p.scrollIntoView({ block: 'center', behavior: 'instant' });
        // No pointer event: the reader's selection without our Annotate button over it.
        if (select) document.getSelection()!.addRange(range);
        const r = range.getBoundingClientRect();
        // In document coordinates (puppeteer's clip, as it captures beyond the viewport); one pixel in
        // from each edge: the antialiased border of the painted box is neither inside nor out.
        return { x: Math.ceil(r.x + scrollX) + 1, y: Math.ceil(r.y + scrollY) + 1, width: Math.floor(r.width) - 2, height: Math.floor(r.height) - 2 };
      }, select);
      return pixelsOf(article, rect);
    };
    const annotated = await clip('#p-closing', false);
    const plain = await clip('#p-practice', false);
    const selected = await clip('#p-definition', true);
    const underlined = (p: typeof plain) => Math.max(...inkByRow(p)) > 0.9;

    expect(dominant(annotated)).not.toBe(dominant(plain));
    expect({ annotated: underlined(annotated), plain: underlined(plain), selected: underlined(selected) }).toEqual({ annotated: true, plain: false, selected: false });
  } finally {
    await closeAll(article);
  }
});
