import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import { annotateByHand, phraseBox } from './support/by-hand.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import type { FirefoxWithGloss } from './support/firefox.js';
import { openArticle } from './support/gloss-browser.js';
import {
  byTestId,
  clickUi,
  conversationCss,
  conversationIds,
  highlightState,
  openPanel,
  POLL_MS,
  typeInUi,
  uiText,
  WAIT_MS,
  waitForHighlights,
  waitForViewers,
  waitInUi,
} from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * Text drawn by web components in open shadow roots (test/e2e/pages/shadow.html), in Chromium and
 * Firefox ESR on one server: selected with the real mouse inside a shadow tree, annotated, and
 * highlighted inside that shadow tree in the other browser, where a click on it opens it. One
 * component is defined only when the test says so: a late upgrade, with no other change to the page.
 * Two elements get their shadow roots late with no other change either: a plain element, from the
 * page's script, and a defined component, when the reader clicks it.
 */
let pages: StaticServer;
let c: ChromiumWithGloss;
let f: FirefoxWithGloss;
let pc: Page;
let pf: Page;

useGlossSession(
  [
    { kind: 'chromium', label: 'C', name: 'Carl' },
    { kind: 'firefox', label: 'F', name: 'Fiona' },
  ],
  async (s) => {
    ({ pages } = s);
    [c, f] = s.browsers as [ChromiumWithGloss, FirefoxWithGloss];
    const url = pages.url('shadow.html', 'shadow');
    pc = await openArticle(c, url);
    pf = await openArticle(f, url);
    await waitForViewers(pc, 2);
    await waitForViewers(pf, 2);
  },
);

/**
 * Each range of the `gloss` highlight: its text, the id of the shadow host whose tree holds it (null
 * in the light DOM), and the highlight colour that applies where it is (the `::highlight(gloss)` rule
 * reaches a shadow tree only through a stylesheet of that tree: without it the colour is not ours).
 */
async function paintedRanges(page: Page): Promise<{ text: string; host: string | null; colour: string }[]> {
  return page.evaluate(() => {
    const h = (CSS as unknown as { highlights?: Map<string, Set<Range>> }).highlights?.get('gloss');
    return [...(h ?? [])].map((r) => {
      const root = r.startContainer.getRootNode();
      const el = r.startContainer.parentElement!;
      return {
        text: r.toString(),
        host: root instanceof ShadowRoot ? root.host.id : null,
        colour: getComputedStyle(el, '::highlight(gloss)').backgroundColor,
      };
    });
  });
}

// The computed background of the `::highlight(gloss)` rule (highlights.ts: #fff394).
const OURS = 'rgb(255, 243, 148)';

/** Clicks the highlighted `phrase` in `host`'s shadow tree (nothing selected) and waits for conversation `id` to open. */
async function clickHighlight(page: Page, host: string, phrase: string, id: string): Promise<void> {
  const activeCss = `[data-testid="conversation"][data-id="${id}"].active`;
  expect(await page.evaluate((css: string) => !!document.querySelector('gloss-root')!.shadowRoot!.querySelector(css), activeCss)).toBe(false);
  await page.bringToFront();
  await page.evaluate(() => document.getSelection()!.removeAllRanges());
  const { first } = await phraseBox(page, '#body', phrase, host);
  await page.mouse.click(first.x + 20, first.y);
  await page.waitForFunction((css: string) => document.querySelector('gloss-root')!.shadowRoot!.querySelector(css), { timeout: WAIT_MS, polling: POLL_MS }, activeCss);
}

it('a selection inside an open shadow root (Chromium) is annotated, and Firefox paints and opens it inside that shadow tree', async () => {
  const phrase = 'the comment text that readers most want';
  await annotateByHand(pc, '#body', phrase, 'Annotated inside a web component.', '#first');
  await waitForHighlights(pc, 1);
  expect(await paintedRanges(pc)).toEqual([{ text: phrase, host: 'first', colour: OURS }]);
  expect(await pc.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="conversation"] [data-testid="quote"]')?.textContent)).toBe(phrase);

  await waitForHighlights(pf, 1);
  expect(await paintedRanges(pf)).toEqual([{ text: phrase, host: 'first', colour: OURS }]);

  // A click on the highlighted words in the shadow tree opens the conversation.
  await clickHighlight(pf, '#first', phrase, (await conversationIds(pc))[0]!);
});

it('a component upgraded after load: Firefox annotates inside it, and Chromium highlights it once its definition arrives there', async () => {
  const phrase = 'upgraded after the page had loaded';
  await pf.evaluate(() => (window as unknown as { defineLateComment(): void }).defineLateComment());
  const id = await annotateByHand(pf, '#body', phrase, 'Written in Firefox, in a late component.', '#late');
  await waitForHighlights(pf, 2);
  expect((await paintedRanges(pf)).find((r) => r.host === 'late')).toEqual({ text: phrase, host: 'late', colour: OURS });

  // Chromium has the conversation, but not the component's text yet: it is listed, not painted.
  await openPanel(pc);
  await waitInUi(pc, 'the late conversation', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), id);
  await waitForHighlights(pc, 1);
  // The definition arrives: the element is upgraded and gets its shadow root, nothing else in the page changes.
  await pc.evaluate(() => (window as unknown as { defineLateComment(): void }).defineLateComment());
  await waitForHighlights(pc, 2);
  expect((await paintedRanges(pc)).find((r) => r.host === 'late')).toEqual({ text: phrase, host: 'late', colour: OURS });
  await clickHighlight(pc, '#late', phrase, id);
});

it('a selection from the light DOM into a shadow tree quotes what was selected, shadow text included, and is painted and opened in both trees in both browsers', async () => {
  // From the article's last words into the first words of the component below it (with the page's
  // white space between the two, which is text of the light DOM).
  const quote = 'own open shadow root.\n    Shadow trees';
  await openPanel(pc);
  const before = await conversationIds(pc);
  await pc.bringToFront();
  await pc.evaluate(() => document.getSelection()!.removeAllRanges());
  const from = await phraseBox(pc, '#intro', 'own open shadow root.');
  const to = await phraseBox(pc, '#body', 'Shadow trees', '#first');
  await pc.mouse.move(from.first.x - 4, from.first.y);
  await pc.mouse.down();
  await pc.mouse.move(to.last.x, to.last.y, { steps: 8 });
  await pc.mouse.move(to.last.x + 3, to.last.y);
  await pc.mouse.up();
  await clickUi(pc, byTestId('annotate-button'));
  await typeInUi(pc, `${byTestId('composer')} textarea`, 'Across the boundary.');
  await clickUi(pc, byTestId('composer-submit'));
  await waitInUi(pc, 'the new conversation confirmed', (root, before: string[]) =>
    [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].some((c) => !before.includes(c.dataset.id!) && c.dataset.pending === 'false'), before);
  const id = (await conversationIds(pc)).find((x) => !before.includes(x))!;
  expect(await uiText(pc, `${conversationCss(id)} ${byTestId('quote')}`)).toBe(quote);

  // A highlight paints a range only in its own tree: the quote is painted by two, the page's words
  // (with the white space after them) and the component's, each in our colour.
  const parts = [
    { text: 'own open shadow root.\n    ', host: null, colour: OURS },
    { text: 'Shadow trees', host: 'first', colour: OURS },
  ];
  await waitForHighlights(pc, 3, WAIT_MS, 4);
  expect(await paintedRanges(pc)).toEqual(expect.arrayContaining(parts));

  // Firefox finds it from its selectors: a third conversation, painted in both trees.
  await waitForHighlights(pf, 3, WAIT_MS, 4);
  expect((await highlightState(pf)).within).toContain('intro');
  expect(await paintedRanges(pf)).toEqual(expect.arrayContaining(parts));
  await openPanel(pf);
  await waitInUi(pf, 'the crossing conversation', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), id);
  expect(await uiText(pf, `${conversationCss(id)} ${byTestId('quote')}`)).toBe(quote);
  expect(await pf.evaluate((id: string) => document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"]`)!.dataset.orphaned, id)).not.toBe('true');

  // A click on the component's words opens it, in Firefox and in Chromium (where it is open since it
  // was written: another conversation is opened first, by a click on its words in the same component).
  await clickHighlight(pf, '#first', 'Shadow trees', id);
  const otherPhrase = 'the comment text that readers most want';
  const other = await pc.evaluate(
    (phrase: string) =>
      [...document.querySelector('gloss-root')!.shadowRoot!.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].find(
        (c) => c.querySelector('[data-testid="quote"]')?.textContent === phrase,
      )!.dataset.id!,
    otherPhrase,
  );
  await clickHighlight(pc, '#first', otherPhrase, other);
  await clickHighlight(pc, '#first', 'Shadow trees', id);
});

/**
 * Waits until `phrase` in `host`'s shadow tree is painted in our colour. (Not a count of all
 * highlights: each of these tests stands on its own, whatever the one before it left.)
 */
async function waitForPainted(page: Page, host: string, phrase: string): Promise<void> {
  try {
    await page.waitForFunction(
      (host: string, phrase: string) => {
        const h = (CSS as unknown as { highlights?: Map<string, Set<Range>> }).highlights?.get('gloss');
        return [...(h ?? [])].some((r) => {
          const root = r.startContainer.getRootNode();
          return r.toString() === phrase && root instanceof ShadowRoot && root.host.id === host;
        });
      },
      { timeout: WAIT_MS, polling: POLL_MS },
      host,
      phrase,
    );
  } catch (e) {
    throw new Error(`waiting for "${phrase}" painted in #${host} (now ${JSON.stringify(await highlightState(page).catch(() => null))}): ${(e as Error).message}`);
  }
  expect((await paintedRanges(page)).find((r) => r.host === host)).toEqual({ text: phrase, host, colour: OURS });
}

/** Waits until the panel lists conversation `id` as not found on this page (`orphaned`), or as found. */
async function waitOrphaned(page: Page, id: string, orphaned: boolean): Promise<void> {
  await waitInUi(
    page,
    `conversation ${id} ${orphaned ? 'not found' : 'found'} on the page`,
    (root, [id, orphaned]: [string, boolean]) => {
      const el = root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"]`);
      return !!el && (el.dataset.orphaned === 'true') === orphaned;
    },
    [id, orphaned] as [string, boolean],
  );
}

/** A real click in the middle of a light-DOM element of the page, scrolled into view first. */
async function clickElement(page: Page, css: string): Promise<void> {
  await page.bringToFront();
  const box = await page.evaluate((css: string) => {
    const el = document.querySelector(css)!;
    el.scrollIntoView({ block: 'center' });
    const r = el.getBoundingClientRect();
    return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, css);
  await page.mouse.click(box.x, box.y);
}

// Attaching a shadow root is no mutation: before the page-world signal (main-world/attach-shadow.ts)
// these stayed "Not found on this page" until something else in the page changed, and nothing does here.
it('a plain element given an open shadow root by the page after load: Firefox annotates in it, and Chromium highlights it when its page does the same, with no other change', async () => {
  const phrase = 'given its shadow root by the page';
  await pf.evaluate(() => (window as unknown as { attachPlainShadow(): void }).attachPlainShadow());
  const id = await annotateByHand(pf, '#body', phrase, 'Written in a root attached after load.', '#plain');
  await waitForPainted(pf, 'plain', phrase);

  await openPanel(pc);
  await waitOrphaned(pc, id, true);
  await pc.evaluate(() => (window as unknown as { attachPlainShadow(): void }).attachPlainShadow());
  await waitForPainted(pc, 'plain', phrase);
  await waitOrphaned(pc, id, false);
  await clickHighlight(pc, '#plain', phrase, id);
});

it('a defined component that attaches its shadow root when clicked: Chromium annotates in it, and Firefox highlights it once the reader clicks it there', async () => {
  const phrase = 'drawn only when the reader asked';
  await clickElement(pc, '#lazy-prompt');
  const id = await annotateByHand(pc, '#body', phrase, 'Written in a component opened by a click.', '#lazy');
  await waitForPainted(pc, 'lazy', phrase);

  await openPanel(pf);
  await waitOrphaned(pf, id, true);
  await clickElement(pf, '#lazy-prompt');
  await waitForPainted(pf, 'lazy', phrase);
  await waitOrphaned(pf, id, false);
  await clickHighlight(pf, '#lazy', phrase, id);
});
