import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { MARGIN, FORCED_EXPECTED, inGloss, isAccent, forcedFindings, markedAndActive, phraseOf, readings, showEveryUiText, under, WCAG_TEXT } from './support/colour-scenes.js';
import { measureColours } from './support/contrast.js';
import { launchFirefox, type FirefoxWithGloss } from './support/firefox.js';
import { firefoxTabIdOf, openPopupTab } from './support/firefox-popup.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, conversationCss, createConversation, inUi, waitForUiText, waitForViewers, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import { dominant, inkByRow, pixelsOf } from './support/pixels.js';
import { printLogsOnFailure } from './support/hooks.js';
import { popupBadge } from './support/popup.js';
import { popupForcedExpected, popupForcedFindings } from './support/popup-colours.js';
import { saveSettingsThroughForm, waitForInstallSettingsPage } from './support/settings.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

/**
 * The colour schemes in Firefox ESR, as colour-schemes.test.ts checks them in Chromium, with every
 * text measured twice: from the computed styles and on Firefox's own screenshot. Firefox is put in
 * each mode by a pref at launch (BiDi has no media emulation): dark by `ui.systemUsesDarkTheme`,
 * forced colours by `browser.display.document_color_use` = 2 ("override the colours specified by the
 * page: always"), which makes `(forced-colors: active)` match, as a Windows high-contrast theme does.
 * Each mode is its own describe, its own Firefox, launched one after the other (two add-on installs
 * at once overran the install's wait on this 2-core machine).
 */

interface Firefox {
  f: FirefoxWithGloss;
  pages: StaticServer;
  /** The server the add-on was set up with. */
  server: ServerProcess;
  /** The settings page the add-on opened on install, kept open: popup pages are opened from it. */
  extensionPage: Page;
}

/** A Firefox launched with `prefs` for the enclosing describe, set up through its settings page as a user does. */
function useFirefox(label: string, prefs: Record<string, unknown>): () => Firefox {
  let server: ServerProcess | undefined;
  let pages: StaticServer | undefined;
  let f: FirefoxWithGloss | undefined;
  let session: Firefox | undefined;
  beforeAll(async () => {
    server = await startServerProcess();
    pages = await startStaticServer();
    f = await launchFirefox(label, prefs);
    const extensionPage = await waitForInstallSettingsPage(f.browser, f.extensionOrigin);
    f.log.watchPage(extensionPage, 'settings');
    await saveSettingsThroughForm(extensionPage, { serverUrl: server.url, name: `Fiona ${label}` });
    session = { f, pages, server, extensionPage };
  });
  afterAll(async () => {
    await closeAll(f, pages);
    await server?.stop();
  });
  printLogsOnFailure(() => [f]);
  return () => session!;
}

/** The popup page describing the tab showing `url` (null: the newest tab). */
async function popupFor({ f, extensionPage }: Firefox, url: string | null): Promise<Page> {
  return openPopupTab(f, extensionPage, await firefoxTabIdOf(extensionPage, url));
}

const isDark = (luminance: number) => luminance < 0.05;

describe('dark (ui.systemUsesDarkTheme)', () => {
  const s = useFirefox('FD', { 'ui.systemUsesDarkTheme': 1 });

  it('the bar, the panel, the Annotate button and the composer are dark, every text at 4.5:1 or more computed and painted, the primary buttons at 5:1', async () => {
    const article = await openArticle(s().f, s().pages.url('article.html', 'ff-dark'));
    try {
      expect(await article.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(true);
      await waitForViewers(article, 1);
      const { bar, panel, composer, annotate } = await showEveryUiText(article);
      const texts = await readings(article, bar, panel, composer);

      expect(texts.map((t) => t.what)).toEqual(expect.arrayContaining(['span.state live', 'div.text', 'a.', 'span.author', 'button.quote', 'textarea::placeholder', 'span.problem', 'button.primary']));
      expect({ bar: isDark(bar.background), panel: isDark(panel.background), composer: isDark(composer.background) }).toEqual({ bar: true, panel: true, composer: true });
      expect(under(WCAG_TEXT, texts)).toEqual([]);
      expect({ annotate: annotate.texts.filter((t) => t.ratio < MARGIN), others: under(MARGIN, texts.filter((t) => isAccent(t.what))) }).toEqual({ annotate: [], others: [] });
    } finally {
      await closeAll(article);
    }
  });

  it('the viewer count while not live (last known, drawn muted) is at 4.5:1 or more on the bar, computed and painted', async () => {
    // A server of its own, stopped under the tab: the bar keeps the last count, muted (ui/TopBar.tsx, STALE_VIEWERS).
    const going = await startServerProcess();
    const article = await openArticle(s().f, s().pages.url('article.html', 'ff-dark-stale-viewers'));
    try {
      // In front: a background tab paints no frames, and the form's Save waits for one to be clicked.
      await s().extensionPage.bringToFront();
      await saveSettingsThroughForm(s().extensionPage, { serverUrl: going.url, name: 'Fiona FD' });
      await article.bringToFront();
      await waitForUiText(article, byTestId('connection'), 'live');
      await waitForViewers(article, 1);
      going.kill();
      await waitForUiText(article, byTestId('viewers-stale'), '(last known, not live)');
      const texts = await readings(article, await inGloss(article, byTestId('viewers')));
      // 13 px, regular weight: not large text (18 pt, or 14 pt bold), so WCAG AA asks 4.5:1.
      expect(texts.map((t) => [t.what, t.text])).toEqual([['span.stale', '1 viewing']]);
      expect(under(WCAG_TEXT, texts)).toEqual([]);
    } finally {
      await s().extensionPage.bringToFront();
      await saveSettingsThroughForm(s().extensionPage, { serverUrl: s().server.url, name: 'Fiona FD' });
      await closeAll(article);
      await going.stop();
    }
  });

  it('the popup (a live tab, its viewers, the settings form) is dark, every text at 4.5:1 or more computed and painted', async () => {
    const url = s().pages.url('article.html', 'ff-dark-popup');
    const article = await openArticle(s().f, url);
    let popup: Page | undefined;
    try {
      await waitForViewers(article, 1);
      popup = await popupFor(s(), url);
      await popupBadge(popup, 'live');
      const colours = await popup.evaluate(measureColours, { host: null, within: 'body' });
      const texts = await readings(popup, colours);

      expect(texts.map((t) => t.what)).toEqual(expect.arrayContaining(['span.state live', 'h2.', 'p.muted', 'input[value]', 'input::placeholder', 'button.primary']));
      expect(isDark(colours.background)).toBe(true);
      expect(under(WCAG_TEXT, texts)).toEqual([]);
      expect(under(MARGIN, texts.filter((t) => isAccent(t.what)))).toEqual([]);
    } finally {
      await closeAll(popup, article);
    }
  });
});

describe('forced colours (browser.display.document_color_use = 2)', () => {
  const s = useFirefox('FF', { 'browser.display.document_color_use': 2 });

  it('every text of the bar, the panel and the composer is at 5:1 or more, computed and painted', async () => {
    const article = await openArticle(s().f, s().pages.url('article.html', 'ff-forced-texts'));
    try {
      expect(await article.evaluate(() => matchMedia('(forced-colors: active)').matches)).toBe(true);
      await waitForViewers(article, 1);
      const { bar, panel, composer, annotate } = await showEveryUiText(article);
      const texts = await readings(article, bar, panel, composer);
      expect(texts.map((t) => t.what)).toEqual(expect.arrayContaining(['span.state live', 'a.', 'textarea::placeholder', 'span.problem', 'button.primary']));
      // Firefox's own placeholder colour here (GrayText) was 4.59:1.
      expect(under(MARGIN, texts)).toEqual([]);
      expect(annotate.texts.filter((t) => t.ratio < MARGIN)).toEqual([]);
    } finally {
      await closeAll(article);
    }
  });

  it('annotated text stays marked and unlike a selection, the active conversation and the state pill keep an outline, keyboard focus shows a ring of 3:1', async () => {
    const article = await openArticle(s().f, s().pages.url('article.html', 'ff-forced'));
    try {
      await waitForViewers(article, 1);
      const found = await forcedFindings(article, await markedAndActive(article));
      expect(found.activeCard).not.toBe(found.otherCard);
      expect({ unreadable: found.unreadable, faintRings: found.faintRings, pill: found.pill, mark: found.mark }).toEqual(FORCED_EXPECTED);
    } finally {
      await closeAll(article);
    }
  });

  it('a search word marked in a card: Mark under MarkText with a MarkText underline, unlike the card, readable, computed and painted', async () => {
    const article = await openArticle(s().f, s().pages.url('article.html', 'ff-forced-search-marks'));
    try {
      await waitForViewers(article, 1);
      const id = await createConversation(article, '#p-definition', await phraseOf(article, '#p-definition'), 'Found here: kiwifruit, among other words.');
      const field = await article.locator(inUi(byTestId('search'))).setTimeout(WAIT_MS).waitHandle();
      await field.focus();
      await field.type('kiwifruit');
      const text = `${conversationCss(id)} [data-testid="comment-text"]`;
      await waitInUi(article, 'the word marked', (root, css: string) => root.querySelector(`${css} mark`)?.textContent === 'kiwifruit', text);
      const look = await article.evaluate((css: string) => {
        const root = document.querySelector('gloss-root')!.shadowRoot!;
        const el = root.querySelector<HTMLElement>(css)!;
        el.scrollIntoView({ block: 'center', behavior: 'instant' });
        const mark = el.querySelector('mark')!;
        // What the system colours resolve to, read from a probe the forced colours leave alone.
        const probe = document.createElement('span');
        probe.style.cssText = 'forced-color-adjust: none; color: MarkText; background-color: Mark';
        el.appendChild(probe);
        const system = { mark: getComputedStyle(probe).backgroundColor, markText: getComputedStyle(probe).color };
        probe.remove();
        const m = getComputedStyle(mark);
        const box = (r: DOMRect) => ({ x: Math.ceil(r.x + scrollX) + 1, y: Math.ceil(r.y + scrollY) + 1, width: Math.floor(r.width) - 2, height: Math.floor(r.height) - 2 });
        return {
          forced: matchMedia('(forced-colors: active)').matches,
          system,
          mark: { background: m.backgroundColor, colour: m.color, underline: `${m.borderBottomStyle} ${m.borderBottomWidth} ${m.borderBottomColor}` },
          card: getComputedStyle(el.closest('[data-testid="conversation"]')!).backgroundColor,
          markBox: box(mark.getBoundingClientRect()),
          textBox: box(el.getBoundingClientRect()),
        };
      }, text);
      expect(look.forced).toBe(true);
      expect(look.mark).toEqual({ background: look.system.mark, colour: look.system.markText, underline: `solid 2px ${look.system.markText}` });
      expect(look.mark.background, 'unlike the card').not.toBe(look.card);
      // Painted: the mark's colour is not the card's (the comment's own box, mostly plain), and its bottom row is a line of ink.
      const markPixels = await pixelsOf(article, look.markBox);
      expect(dominant(markPixels)).not.toBe(dominant(await pixelsOf(article, look.textBox)));
      expect(Math.max(...inkByRow(markPixels).slice(-2)), 'the underline').toBeGreaterThan(0.9);
      const texts = await readings(article, await inGloss(article, text));
      expect(texts.filter((t) => t.what === 'mark.').map((t) => t.text)).toEqual(['kiwifruit']);
      expect(under(MARGIN, texts)).toEqual([]);
    } finally {
      await closeAll(article);
    }
  });

  it('the popup: every control has a visible edge and a focus ring of 3:1 or more, disabled is GrayText, every text readable', async () => {
    const url = s().pages.url('article.html', 'ff-forced-popup');
    const article = await openArticle(s().f, url);
    const blank = await s().f.newPage('about:blank');
    let live: Page | undefined;
    let unavailable: Page | undefined;
    try {
      await waitForViewers(article, 1);
      // about:blank, the newest tab: Gloss cannot run there, so "Show conversations" is disabled.
      unavailable = await popupFor(s(), null);
      await popupBadge(unavailable, 'unavailable');
      live = await popupFor(s(), url);
      await popupBadge(live, 'live');
      const found = await popupForcedFindings(live, unavailable);
      expect(found).toEqual(popupForcedExpected(found, 'firefox'));
    } finally {
      await closeAll(live, unavailable, blank, article);
    }
  });
});
