import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import { closeAll, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import { phraseBox } from './support/by-hand.js';
import { byTestId, clickUi, conversationCss, createConversation, inUi, typeInUi, waitForUiText, waitForViewers, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { CHROMIUM_AND_FIREFOX, useGlossSession } from './support/session.js';

/**
 * The open conversation's highlight is drawn in the active orange only while the panel is open
 * (extension/content/state/model.ts, shownActive): closed by its ×, Escape, the bar's toggle or the
 * bar collapsing, the page keeps no orange highlight that nothing on screen explains; reopened, the
 * same conversation is the open one again, in the page and in its card; under a filter it does not
 * match, its card stays listed (kept) while its highlight is orange; let go of (its card's ×, Escape
 * inside the card), nothing is orange and the filter no longer keeps it, and a click on its highlight
 * opens it again. Read from the browser's own highlight registry (CSS.highlights), in Chromium and
 * Firefox ESR.
 */
let pages: StaticServer;
let browsers: GlossBrowser[];
useGlossSession(CHROMIUM_AND_FIREFOX, (s) => {
  ({ pages, browsers } = s);
});

const QUOTE = 'Regression testing is re-running functional and non-functional tests';

/** What the page shows: how many conversations are marked, and the text of each range drawn active. */
const painted = (tab: Page) =>
  tab.evaluate(() => {
    const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
    return { marked: registry.get('gloss')?.size ?? 0, active: [...(registry.get('gloss-active') ?? [])].map((r) => r.toString()) };
  });
/** The ids of the cards drawn as the open one. */
const activeCards = (tab: Page) =>
  tab.evaluate(() => [...document.querySelector('gloss-root')!.shadowRoot!.querySelectorAll<HTMLElement>('[data-testid="conversation"].active')].map((c) => c.dataset.id));
const panelGone = (tab: Page, how: string) => waitInUi(tab, `the panel closed by ${how}`, (root) => !root.querySelector('[data-testid="panel"]'), null);

const closings: [string, (tab: Page) => Promise<void>][] = [
  ['its ×', (tab) => clickUi(tab, byTestId('panel-close'))],
  [
    'Escape',
    async (tab) => {
      // Pressed where the user is: in the panel (the empty search field lets Escape through to it).
      const field = await tab.locator(inUi(byTestId('search'))).setTimeout(WAIT_MS).waitHandle();
      await field.focus();
      await tab.keyboard.press('Escape');
    },
  ],
  ['the bar\u2019s toggle', (tab) => clickUi(tab, byTestId('panel-toggle'))],
  ['collapsing the bar', (tab) => clickUi(tab, byTestId('topbar-toggle'))],
];

for (const [index, kind] of ['Chromium', 'Firefox ESR'].entries()) it(`${kind}: closing the panel (×, Escape, the bar's toggle, collapsing the bar) leaves no highlight drawn active; reopened, the same conversation is open in the page and in its card`, async () => {
  const tab = await openArticle(browsers[index]!, pages.url('article.html', `active-highlight-${index}`));
  try {
    await waitForViewers(tab, 1);
    // Written here: the new conversation is the open one, the panel open on it.
    const id = await createConversation(tab, '#p-definition', QUOTE, 'Open, then out of sight.');
    await tab.locator(inUi(`${conversationCss(id)}.active`)).setTimeout(WAIT_MS).wait();
    expect(await painted(tab), 'opened').toEqual({ marked: 1, active: [QUOTE] });

    for (const [how, close] of closings) {
      await close(tab);
      await panelGone(tab, how);
      // The render that takes the panel away paints the page first (controller.ts): no waiting for it.
      expect(await painted(tab), `closed by ${how}`).toEqual({ marked: 1, active: [] });
      if (how === 'collapsing the bar') {
        await clickUi(tab, byTestId('topbar-toggle'));
        await waitForUiText(tab, byTestId('panel-toggle'), /^Conversations/);
        expect(await painted(tab), 'the bar expanded, the panel still closed').toEqual({ marked: 1, active: [] });
      }
      await clickUi(tab, byTestId('panel-toggle'));
      await tab.locator(inUi(byTestId('panel'))).setTimeout(WAIT_MS).wait();
      expect(await activeCards(tab), `reopened after ${how}: the same card`).toEqual([id]);
      expect(await painted(tab), `reopened after ${how}: and its highlight`).toEqual({ marked: 1, active: [QUOTE] });
    }

    // A filter it does not match (it is not resolved): its card stays listed, marked kept, as its highlight stays orange.
    await clickUi(tab, byTestId('filter-resolved'));
    await waitForUiText(tab, byTestId('search-empty'), /No conversation matches/);
    const card = await tab.evaluate((css: string) => {
      const el = document.querySelector('gloss-root')!.shadowRoot!.querySelector(css);
      return { listed: !!el && !el.closest('[hidden]'), kept: !!el?.closest('.entry')?.querySelector('[data-testid="filter-kept"]') };
    }, conversationCss(id));
    expect(card, 'under a filter it does not match').toEqual({ listed: true, kept: true });
    expect(await activeCards(tab)).toEqual([id]);
    expect(await painted(tab), 'and its highlight still the open one').toEqual({ marked: 1, active: [QUOTE] });
  } finally {
    await closeAll(tab);
  }
});

/** Where the card of conversation `id` is: listed or not, kept by the filter or not; and whether focus is on it, in it, or on the search field. */
const cardAndFocus = (tab: Page, id: string) =>
  tab.evaluate((id: string) => {
    const root = document.querySelector('gloss-root')!.shadowRoot!;
    const el = [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].find((c) => c.dataset.id === id);
    const at = root.activeElement;
    return {
      listed: !!el && !el.closest('[hidden]'),
      kept: !!el?.closest('.entry')?.querySelector('[data-testid="filter-kept"]'),
      focus: at === el ? 'card' : at !== null && el?.contains(at) ? at.getAttribute('data-testid') : (at?.getAttribute('data-testid') ?? null),
    };
  }, id);
const letGone = (tab: Page, how: string) => waitInUi(tab, `let go by ${how}`, (root) => !root.querySelector('[data-testid="conversation"].active'), null);

for (const [index, kind] of ['Chromium', 'Firefox ESR'].entries()) it(`${kind}: the open conversation let go by its card's × or by Escape inside it: nothing orange, its card no longer kept, focus on the card or the search field; its highlight clicked opens it again`, async () => {
  const tab = await openArticle(browsers[index]!, pages.url('article.html', `active-highlight-let-go-${index}`));
  try {
    await waitForViewers(tab, 1);
    const id = await createConversation(tab, '#p-definition', QUOTE, 'Open until I let it go.');
    await tab.locator(inUi(`${conversationCss(id)}.active`)).setTimeout(WAIT_MS).wait();
    expect(await painted(tab), 'opened').toEqual({ marked: 1, active: [QUOTE] });

    await clickUi(tab, byTestId('close-conversation'));
    await letGone(tab, 'its \u00d7');
    // The render that lets it go paints the page first (controller.ts): no waiting for it.
    expect(await painted(tab), 'let go: nothing orange').toEqual({ marked: 1, active: [] });
    expect(await cardAndFocus(tab, id), 'its card listed, focus on it').toEqual({ listed: true, kept: false, focus: 'card' });
    await waitForUiText(tab, byTestId('announcer'), /^Conversation closed/);
    expect(await tab.$$(inUi(byTestId('close-conversation'))), 'no \u00d7 without an open one').toHaveLength(0);

    // Its highlight clicked in the page (left of the panel, nothing selected): open again.
    await tab.bringToFront();
    await tab.evaluate(() => document.getSelection()!.removeAllRanges());
    const { first } = await phraseBox(tab, '#p-definition', QUOTE);
    await tab.mouse.click(first.x + 20, first.y);
    await tab.locator(inUi(`${conversationCss(id)}.active`)).setTimeout(WAIT_MS).wait();
    expect(await painted(tab), 'opened again from the page').toEqual({ marked: 1, active: [QUOTE] });

    // Under a filter it does not match, kept; Escape in its reply field lets it go, and it goes with the filter.
    await clickUi(tab, byTestId('filter-resolved'));
    await waitForUiText(tab, byTestId('search-empty'), /No conversation matches/);
    expect(await cardAndFocus(tab, id)).toMatchObject({ listed: true, kept: true });
    await typeInUi(tab, `${conversationCss(id)} ${byTestId('reply-input')}`, 'half a thought');
    await tab.keyboard.press('Escape');
    await letGone(tab, 'Escape');
    expect(await painted(tab), 'let go by Escape: nothing orange').toEqual({ marked: 1, active: [] });
    await waitInUi(tab, 'focus on the search field', (root) => root.activeElement?.getAttribute('data-testid') === 'search', null);
    expect(await cardAndFocus(tab, id), 'its card gone with the filter').toEqual({ listed: false, kept: false, focus: 'search' });
    await waitForUiText(tab, byTestId('announcer'), /^Conversation closed\. It does not match the filter, so it is no longer listed/);

    // The next Escape (the search field has nothing to empty) closes the panel.
    await tab.keyboard.press('Escape');
    await panelGone(tab, 'the second Escape');
  } finally {
    await closeAll(tab);
  }
});
