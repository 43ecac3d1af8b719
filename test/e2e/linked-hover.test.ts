import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import { closeAll, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import { phraseBox } from './support/by-hand.js';
import { byTestId, clickUi, conversationCss, createConversation, inUi, POLL_MS, waitForHighlights, waitForViewers, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { CHROMIUM_AND_FIREFOX, useGlossSession } from './support/session.js';

/**
 * A conversation's card and its highlight are linked while the pointer moves (docs/architecture.md,
 * "Linked hover"): the pointer on a card draws that conversation's ranges in the `gloss-hover`
 * highlight, read from the browser's own registry (CSS.highlights, which the page's world sees); the
 * pointer on highlighted text in the page marks its card (`data-pointed`), and no other; focus moved
 * into a card by Tab does what the pointer does. Real mouse and keyboard, Chromium and Firefox ESR.
 */
let pages: StaticServer;
let browsers: GlossBrowser[];
useGlossSession(CHROMIUM_AND_FIREFOX, (s) => {
  ({ pages, browsers } = s);
});

const QUOTE_A = 'Regression testing is re-running functional and non-functional tests';
const QUOTE_B = 'test automation is frequently involved';
/** Inside B's text: where the two overlap, the pointer is on both. */
const QUOTE_C = 'automation is frequently';

/** The text of each range the page's `gloss-hover` highlight holds (none when it is not registered), and how many conversations `gloss` marks. */
const hovered = (tab: Page) =>
  tab.evaluate(() => {
    const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
    return { marked: registry.get('gloss')?.size ?? 0, hover: [...(registry.get('gloss-hover') ?? [])].map((r) => r.toString()) };
  });
const waitHovered = async (tab: Page, texts: string[], what: string) => {
  try {
    await tab.waitForFunction(
      (texts: string[]) => JSON.stringify([...((CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights.get('gloss-hover') ?? [])].map((r) => r.toString())) === JSON.stringify(texts),
      { timeout: WAIT_MS, polling: POLL_MS },
      texts,
    );
  } catch (e) {
    throw new Error(`${what}: gloss-hover holds ${JSON.stringify((await hovered(tab)).hover)}, expected ${JSON.stringify(texts)}: ${(e as Error).message}`);
  }
};
/** The ids of the cards marked as under the pointer in the page. */
const pointedCards = (tab: Page) =>
  tab.evaluate(() => [...document.querySelector('gloss-root')!.shadowRoot!.querySelectorAll<HTMLElement>('[data-testid="conversation"][data-pointed="true"]')].map((c) => c.dataset.id));
/** The middle of conversation `id`'s card, in the viewport (the UI's host is at the viewport's corner, unzoomed). */
const cardCentre = (tab: Page, id: string) =>
  tab.evaluate((css: string) => {
    const r = document.querySelector('gloss-root')!.shadowRoot!.querySelector(css)!.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + Math.min(r.height / 2, 20) };
  }, conversationCss(id));

for (const [index, kind] of ['Chromium', 'Firefox ESR'].entries()) it(`${kind}: the pointer on a card draws its ranges gloss-hover, gone when it leaves; on its text in the page it marks its card alone, both where two overlap; Tab into a card does what the pointer does`, async () => {
  const tab = await openArticle(browsers[index]!, pages.url('article.html', `linked-hover-${index}`));
  try {
    await waitForViewers(tab, 1);
    const a = await createConversation(tab, '#p-definition', QUOTE_A, 'The first one.');
    const b = await createConversation(tab, '#p-growth', QUOTE_B, 'The second one.');
    const c = await createConversation(tab, '#p-growth', QUOTE_C, 'Inside the second one.');
    await waitForHighlights(tab, 3);
    // The highlights' order where they overlap: the open one's orange over the hover blue over the yellow.
    expect(await tab.evaluate(() => ['gloss', 'gloss-hover', 'gloss-active'].map((name) => (CSS as unknown as { highlights: Map<string, { priority: number }> }).highlights.get(name)?.priority ?? null)), 'priorities, nothing hovered yet').toEqual([0, null, 2]);
    // Written last, C is the open one, whose orange wins over the hover blue: let go of it first.
    await clickUi(tab, byTestId('close-conversation'));
    await waitInUi(tab, 'none open', (root) => !root.querySelector('[data-testid="conversation"].active'), null);
    await tab.bringToFront();
    // The × left focus on C's card and the pointer in it, which is C hovered: both go out to the page's plain text.
    await waitHovered(tab, [QUOTE_C], 'focus and the pointer on C\u2019s card after its \u00d7');
    const plain = await phraseBox(tab, '#p-definition', 'previously developed');
    await tab.mouse.click(plain.first.x, plain.first.y);
    await waitHovered(tab, [], 'focus and the pointer out on the page');
    expect(await hovered(tab), 'nothing hovered').toEqual({ marked: 3, hover: [] });

    // Card → page.
    const atB = await cardCentre(tab, b);
    await tab.mouse.move(atB.x, atB.y);
    await waitHovered(tab, [QUOTE_B], 'the pointer on B\u2019s card');
    expect(await hovered(tab), 'B\u2019s ranges alone, the others still marked').toEqual({ marked: 3, hover: [QUOTE_B] });
    expect(await tab.evaluate(() => (CSS as unknown as { highlights: Map<string, { priority: number }> }).highlights.get('gloss-hover')!.priority), 'above the yellow, under the orange').toBe(1);
    const atA = await cardCentre(tab, a);
    await tab.mouse.move(atA.x, atA.y);
    await waitHovered(tab, [QUOTE_A], 'the pointer on A\u2019s card');
    // Away, onto the page's unmarked text.
    await tab.mouse.move(plain.first.x, plain.first.y);
    await waitHovered(tab, [], 'the pointer off the cards');

    // Page → card, the panel open: on B's text alone, then where C's is inside it.
    const textB = await phraseBox(tab, '#p-growth', 'test automation');
    await tab.mouse.move(textB.first.x, textB.first.y);
    await waitInUi(tab, 'B\u2019s card marked', (root, b: string) => [...root.querySelectorAll<HTMLElement>('[data-pointed="true"]')].some((c) => c.dataset.id === b), b);
    expect(await pointedCards(tab), 'B\u2019s card alone').toEqual([b]);
    expect((await hovered(tab)).hover, 'the page\u2019s pointer draws no hover in the page').toEqual([]);
    const textC = await phraseBox(tab, '#p-growth', QUOTE_C);
    await tab.mouse.move(textC.first.x, textC.first.y);
    await waitInUi(tab, 'C\u2019s card marked too', (root, c: string) => [...root.querySelectorAll<HTMLElement>('[data-pointed="true"]')].some((e) => e.dataset.id === c), c);
    expect((await pointedCards(tab)).sort(), 'both cards of the overlap, not A\u2019s').toEqual([b, c].sort());
    await tab.mouse.move(plain.first.x, plain.first.y);
    await waitInUi(tab, 'no card marked', (root) => !root.querySelector('[data-pointed="true"]'), null);

    // Keyboard: from A's last control, Tab goes into B's card.
    await tab.evaluate((css: string) => {
      const controls = document.querySelector('gloss-root')!.shadowRoot!.querySelectorAll<HTMLElement>(`${css} button`);
      controls[controls.length - 1]!.focus();
    }, conversationCss(a));
    await waitHovered(tab, [QUOTE_A], 'focus in A\u2019s card');
    await tab.keyboard.press('Tab');
    await waitInUi(tab, 'focus in B\u2019s card', (root, b: string) => root.activeElement?.closest<HTMLElement>('[data-testid="conversation"]')?.dataset.id === b, b);
    await waitHovered(tab, [QUOTE_B], 'focus in B\u2019s card');
    // Focus (and the pointer) on the search field above the cards: no card, nothing hovered.
    await tab.locator(inUi(byTestId('search'))).setTimeout(WAIT_MS).click();
    await waitHovered(tab, [], 'focus on the search field');
  } finally {
    await closeAll(tab);
  }
});
