import type { Page } from 'puppeteer';
import { expect } from 'vitest';
import { measureColours, type Colours, type Measured } from './contrast.js';
import { toggleResolved } from './faults-ui.js';
import { byTestId, clickUi, conversationCss, createConversation, inUi, selectText, waitInUi, WAIT_MS } from './gloss-ui.js';
import { dominant, inkByRow, pixelsOf, renderedContrast, type Pixels } from './pixels.js';

/**
 * What the colour tests of both browsers (colour-schemes*.test.ts, popup-forced-colours.test.ts) show
 * and measure: the UI with every kind of text on screen, text as computed and as painted, a phrase's
 * pixels, a popup's controls.
 */

export const inGloss = (page: Page, within: string) => page.evaluate(measureColours, { host: 'gloss-root', within });

/** The first three words of a page element's text: a phrase to annotate. */
export async function phraseOf(page: Page, css: string): Promise<string> {
  return page.$eval(css, (p) => p.textContent!.trim().split(/\s+/).slice(0, 3).join(' '));
}

export interface UiColours {
  bar: Colours;
  panel: Colours;
  composer: Colours;
  annotate: Colours;
}

/**
 * Puts every kind of text of the in-page UI on screen and measures it: the bar, the panel with an
 * open conversation (a link, a problem text under a reply sent empty) and a resolved one, the
 * Annotate button, and the composer refusing an empty comment (its placeholder and problem text).
 */
export async function showEveryUiText(article: Page): Promise<UiColours> {
  const open = await createConversation(article, '#p-definition', await phraseOf(article, '#p-definition'), 'Still open: see https://example.org/notes.');
  const resolved = await createConversation(article, '#p-closing', await phraseOf(article, '#p-closing'), 'Settled, as https://example.org/faq says.');
  await toggleResolved(article, resolved);
  await clickUi(article, `${conversationCss(open)} ${byTestId('reply-submit')}`);
  await article.locator(inUi(`${conversationCss(open)} .problem`)).setTimeout(WAIT_MS).wait();

  await selectText(article, '#p-practice', await phraseOf(article, '#p-practice'));
  await article.locator(inUi(byTestId('annotate-button'))).setTimeout(WAIT_MS).wait();
  const annotate = await inGloss(article, byTestId('annotate-button'));
  await clickUi(article, byTestId('annotate-button'));
  await clickUi(article, byTestId('composer-submit'));
  await article.locator(inUi(byTestId('composer-problem'))).setTimeout(WAIT_MS).wait();
  return { bar: await inGloss(article, byTestId('topbar')), panel: await inGloss(article, byTestId('panel')), composer: await inGloss(article, byTestId('composer')), annotate };
}

export const WCAG_TEXT = 4.5;
/**
 * Texts found a hair over 4.5:1 (white on the accent blue, 4.55:1; Firefox's forced-colours
 * placeholder, 4.59:1) are held to 5:1: a colour a browser or a screen renders a shade off must not
 * fall under the line.
 */
export const MARGIN = 5;
export const isAccent = (what: string) => /^button\.(.* )?primary\b/.test(what);

/** WCAG 1.4.11: a control's boundary and a focus indicator against what is next to them. */
export const WCAG_NON_TEXT = 3;

export interface Reading {
  what: string;
  text: string;
  /** As computed from the styles (support/contrast.ts). */
  computed: number;
  /** As painted (support/pixels.ts renderedContrast). */
  rendered: number;
}

/**
 * Every text's contrast both ways, in one list; `under(limit)` keeps those under the limit by
 * either measure. The text must be on screen (the screenshot is of the viewport).
 */
export async function readings(page: Page, ...measured: Colours[]): Promise<Reading[]> {
  const texts: Measured[] = measured.flatMap((c) => c.texts);
  const painted = await renderedContrast(page, texts.map((t) => t.box));
  return texts.map((t, i) => ({ what: t.what, text: t.text, computed: round(t.ratio), rendered: round(painted[i]!.ratio) }));
}

export const under = (limit: number, list: Reading[]) => list.filter((r) => r.computed < limit || r.rendered < limit);
const round = (n: number) => Math.round(n * 100) / 100;

/**
 * The pixels of `phrase` in the page paragraph `within` (its first text node holding it), one pixel
 * in from each edge (the antialiased edge of a painted box is neither inside nor out); selected by
 * the reader first when `select`, without a pointer event (so no Annotate button over it).
 */
export async function phrasePixels(page: Page, within: string, phrase: string, select: boolean): Promise<Pixels> {
  const rect = await page.$eval(
    within,
    (p, phrase, select) => {
      const text = [...p.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.includes(phrase))!;
      const range = document.createRange();
      range.setStart(text, text.textContent!.indexOf(phrase));
      range.setEnd(text, text.textContent!.indexOf(phrase) + phrase.length);
      p.scrollIntoView({ block: 'center', behavior: 'instant' });
      if (select) document.getSelection()!.addRange(range);
      const r = range.getBoundingClientRect();
      // In document coordinates: puppeteer's clip.
      return { x: Math.ceil(r.x + scrollX) + 1, y: Math.ceil(r.y + scrollY) + 1, width: Math.floor(r.width) - 2, height: Math.floor(r.height) - 2 };
    },
    phrase,
    select,
  );
  return pixelsOf(page, rect);
}

export interface ControlLook {
  /** `tag[type]#testid` */
  what: string;
  disabled: boolean;
  /** Computed text colour and opacity. */
  color: string;
  opacity: string;
  /** Rendered contrast of the control's left edge (its border) against the 4 pixels outside it. */
  edge: number;
  /** Rendered contrast of what is painted in the 4 pixels outside its left edge against their background, without focus and with keyboard focus. */
  ringBefore: number;
  ringFocused: number;
}

const CONTROLS = 'button, textarea, input:not([type="checkbox"]):not([type="hidden"])';

/**
 * How each button and text field on screen looks, in the document or in `host`'s open shadow root:
 * whether its edge shows (under forced colours backgrounds are replaced, so a control without a
 * border has none) and whether keyboard focus draws a ring around it (`:focus-visible`, checked).
 */
export async function controlsOf(page: Page, host: string | null = null): Promise<ControlLook[]> {
  const controls = await page.evaluate(
    (host: string | null, selector: string) =>
      [...(host === null ? document : document.querySelector(host)!.shadowRoot!).querySelectorAll(selector)]
        .map((el, index) => ({ el, index, r: el.getBoundingClientRect() }))
        .filter(({ el, r }) => el.checkVisibility() && r.top >= 0 && r.bottom <= innerHeight && r.left >= 6 && r.right <= innerWidth)
        .map(({ el, index, r }) => {
          const s = getComputedStyle(el);
          return {
            what: `${el.tagName.toLowerCase()}${el instanceof HTMLInputElement ? `[${el.type}]` : ''}#${(el as HTMLElement).dataset.testid ?? el.className}`,
            index,
            disabled: (el as HTMLButtonElement).disabled,
            color: s.color,
            opacity: s.opacity,
            rect: { x: r.x, y: r.y, width: r.width, height: r.height },
            border: parseFloat(s.borderLeftWidth),
          };
        }),
    host,
    CONTROLS,
  );
  // The ring's strip stops short of the 6 pixels between two buttons of a row.
  const strip = (c: (typeof controls)[number], from: number, width: number) => ({ x: c.rect.x + from, y: c.rect.y + c.rect.height / 4, width, height: c.rect.height / 2 });
  const edges = await renderedContrast(page, controls.map((c) => strip(c, -4, 4 + Math.max(1, c.border))));
  const before = await renderedContrast(page, controls.map((c) => strip(c, -4, 4)));
  const looks: ControlLook[] = [];
  for (const [i, c] of controls.entries()) {
    let ringFocused = 0;
    if (!c.disabled) {
      // The tab in front (each screenshot is decoded in a tab opened and closed after it), then Tab
      // pressed: the browser treats the focus that follows as keyboard focus (`:focus-visible`) too.
      await page.bringToFront();
      await page.keyboard.press('Tab');
      const shown = await page.evaluate(
        (host: string | null, selector: string, index: number) => {
          const el = (host === null ? document : document.querySelector(host)!.shadowRoot!).querySelectorAll<HTMLElement>(selector)[index]!;
          el.focus({ preventScroll: true });
          return el.matches(':focus-visible');
        },
        host,
        CONTROLS,
        c.index,
      );
      if (!shown) throw new Error(`${c.what} took focus without :focus-visible`);
      ringFocused = (await renderedContrast(page, [strip(c, -4, 4)]))[0]!.ratio;
    }
    looks.push({ what: c.what, disabled: c.disabled, color: c.color, opacity: c.opacity, edge: edges[i]!.ratio, ringBefore: before[i]!.ratio, ringFocused });
  }
  return looks;
}

/** Chromium's forced-colours emulation (puppeteer's emulateMediaFeatures refuses `forced-colors`): it then paints with system colours, as Windows High Contrast does. */
export async function forceColours(page: Page): Promise<void> {
  const cdp = await page.createCDPSession();
  await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }] });
}

/**
 * "regression testing" three times, in three paragraphs of article.html: annotated (the caller made
 * a conversation on it in #p-closing), plain (#p-practice) and selected by the reader (#p-definition),
 * as painted. A mark must differ from plain text and carry an underline (a row of ink across the
 * phrase) that a selection does not have: under forced colours a mark may be painted in the
 * selection's own system colours, and the underline is then what tells them apart.
 */
export async function markAgainstSelection(article: Page): Promise<{ marked: boolean; unlikeSelection: boolean; underlined: { annotated: boolean; plain: boolean; selected: boolean } }> {
  const annotated = await phrasePixels(article, '#p-closing', 'regression testing', false);
  const plain = await phrasePixels(article, '#p-practice', 'regression testing', false);
  const selected = await phrasePixels(article, '#p-definition', 'regression testing', true);
  const underlined = (p: Pixels) => Math.max(...inkByRow(p)) > 0.9;
  return {
    marked: dominant(annotated) !== dominant(plain),
    unlikeSelection: dominant(annotated) !== dominant(selected) || underlined(annotated) !== underlined(selected),
    underlined: { annotated: underlined(annotated), plain: underlined(plain), selected: underlined(selected) },
  };
}

/**
 * Two conversations on article.html for the forced-colours checks: one on "regression testing" in
 * #p-closing (see markAgainstSelection) and another made active by a click on its quote.
 */
export async function markedAndActive(article: Page): Promise<{ marked: string; active: string }> {
  const marked = await createConversation(article, '#p-closing', 'regression testing', 'Under forced colours.');
  const active = await createConversation(article, '#p-growth', await phraseOf(article, '#p-growth'), 'The active one.');
  await clickUi(article, `${conversationCss(active)} ${byTestId('quote')}`);
  await article.locator(inUi(`${conversationCss(active)}.active`)).setTimeout(WAIT_MS).wait();
  return { marked, active };
}

export interface ForcedFindings {
  /** Texts of the bar and the panel under 4.5:1, computed or painted. */
  unreadable: Reading[];
  /** The state pill's top border: `width style colour`. */
  pill: string;
  /** The bar's and the panel's controls whose keyboard focus ring shows under 3:1 outside them (the figure). */
  faintRings: { what: string; ring: number }[];
  /** The active card's and the other card's top borders: they must differ, the orange glow being gone. */
  activeCard: string;
  otherCard: string;
  mark: Awaited<ReturnType<typeof markAgainstSelection>>;
}

/** What forced colours left of the UI of `markedAndActive`'s page (forced colours already on); closes the panel. */
export async function forcedFindings(article: Page, ids: { marked: string; active: string }): Promise<ForcedFindings> {
  const texts = await readings(article, await inGloss(article, byTestId('topbar')), await inGloss(article, byTestId('panel')));
  const border = (css: string) =>
    article.$eval(
      'gloss-root',
      (host, css) => {
        const s = getComputedStyle(host.shadowRoot!.querySelector(css)!);
        return `${s.borderTopWidth} ${s.borderTopStyle} ${s.borderTopColor}`;
      },
      css,
    );
  const faintRings = (await controlsOf(article, 'gloss-root')).filter((c) => !c.disabled && c.ringFocused < WCAG_NON_TEXT).map((c) => ({ what: c.what, ring: round(c.ringFocused) }));
  const found = { unreadable: under(WCAG_TEXT, texts), faintRings, pill: await border(byTestId('connection')), activeCard: await border(conversationCss(ids.active)), otherCard: await border(conversationCss(ids.marked)) };
  await clickUi(article, byTestId('panel-toggle'));
  await waitInUi(article, 'the panel closed', (root) => !root.querySelector('[data-testid="panel"]'), null);
  return { ...found, mark: await markAgainstSelection(article) };
}

/** What forcedFindings must find, apart from the two cards' borders differing. */
export const FORCED_EXPECTED = {
  unreadable: [],
  faintRings: [],
  pill: expect.stringMatching(/^1px solid /),
  mark: { marked: true, unlikeSelection: true, underlined: { annotated: true, plain: false, selected: false } },
};
