import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import { request } from '../support/clients.js';
import { startServerProcess } from '../support/server-process.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, conversationCss, createConversation, inUi, openPanel, typeInUi, waitForUiText, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import { useBobOnPages } from './support/bob-on-pages.js';
import { measureColours } from './support/contrast.js';
import { screenshot } from './support/screenshots.js';

/**
 * Finding a conversation in the panel, in real Chromium and Firefox ESR (extension/content/ui/PanelSearch.tsx):
 * Bob writes through the real server with a plain socket.io client, the reader types into the real
 * field. Typing filters the list; Bob's new conversations appear live when they match and stay
 * hidden when they do not; the quick filters; the × and Escape; the count, on screen and told.
 */
const ctx = useBobOnPages();

/** The ids of the cards the panel shows, sorted (a filtered-out card's wrapper is `hidden`). */
const waitShown = (tab: Page, ids: string[], what: string) =>
  waitInUi(
    tab,
    what,
    (root, ids: string[]) => {
      const shown = [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].filter((c) => !c.closest('[hidden]')).map((c) => c.dataset.id).sort();
      return JSON.stringify(shown) === JSON.stringify([...ids].sort());
    },
    ids,
  );
const told = (tab: Page, text: string) =>
  waitInUi(tab, `the screen reader told "${text}"`, (root, text: string) => root.querySelector('[data-testid="announcer"]')?.textContent?.trim() === text, text);
const chooseFilter = (tab: Page, mode: string) => clickUi(tab, byTestId(`filter-${mode}`));

for (const kind of ['chromium', 'firefox'] as const) it(`${kind}: filters the panel as the reader types, keeps the filter on live changes, and filters by state and by who wrote`, async () => {
  const g = await glossBrowser(kind, `S-${kind}`, { serverUrl: ctx.server.url, name: 'Reader' });
  ctx.browsers.push(g);
  const url = ctx.pages.url('article.html', `panel-search-${kind}`);
  const dessert = await ctx.seed(url, 'retest everything', 'Crème brûlée budget is too high');
  const nightly = await ctx.seed(url, 'smoke suite', 'Nightly runs are enough');
  const coverage = await ctx.seed(url, 'coverage data it relies on', 'Coverage lies sometimes');
  const resolved = await request(ctx.bob, 'text-chat:update', { broadcastId: randomUUID(), id: coverage, changes: { resolved: true } });
  expect(resolved.ok, JSON.stringify(resolved)).toBe(true);

  const tab = await openArticle(g, url);
  try {
    await openPanel(tab);
    await waitShown(tab, [dessert, nightly, coverage], 'Bob\u2019s three conversations');
    const own = await createConversation(tab, '#p-closing', 'flaky test', 'Flaky tests teach bad habits');
    // The reader replies to one of Bob's: it is theirs too ("mine": started or replied to).
    await typeInUi(tab, `${conversationCss(nightly)} ${byTestId('reply-input')}`, 'Agreed');
    await clickUi(tab, `${conversationCss(nightly)} ${byTestId('reply-submit')}`);
    await waitInUi(tab, 'the reply', (root, css: string) => root.querySelector(css)?.querySelectorAll('[data-testid="comment"]').length === 2, conversationCss(nightly));
    const everyone = [dessert, nightly, coverage, own];
    // The reader's own, just written, is the open conversation (its highlight orange): it stays listed under
    // every filter, marked kept and not counted, until another is opened (docs/architecture.md, "Finding a conversation").
    const keptOwn = () => waitInUi(tab, 'the open one marked kept', (root, css: string) => !!root.querySelector(css)?.closest('.entry:not([hidden])')?.querySelector('[data-testid="filter-kept"]'), conversationCss(own));

    // Typing: case, accents and spacing do not matter; every word must be found.
    const field = await tab.locator(inUi(byTestId('search'))).setTimeout(WAIT_MS).waitHandle();
    expect(await field.evaluate((el) => el.getAttribute('aria-label'))).toBe('Search the conversations');
    await field.focus();
    await field.type('  creme   BUDGET');
    await waitShown(tab, [dessert, own], 'the one conversation about the crème brûlée budget, and the open one');
    await keptOwn();
    expect(await waitForUiText(tab, byTestId('search-count'), '1 of 4 conversations')).toBe('1 of 4 conversations');
    await told(tab, '1 of 4 conversations');

    // Bob writes two more: the one that matches appears, the other is on the page but not listed.
    // Its words hold HTML, which must stay text, marked or not.
    const matching = await ctx.seed(url, 'change impact analysis', 'Another <b>budget</b> line for the crème');
    const other = await ctx.seed(url, 'Test case prioritisation', 'Nothing to see here');
    await waitForUiText(tab, byTestId('search-count'), '2 of 6 conversations');
    await waitShown(tab, [dessert, matching, own], 'Bob\u2019s matching conversation, live');
    // Never rendered (it came while it did not match), it is not in the panel; a card that was rendered would stay there, hidden (ui/Panel.tsx).
    expect(await tab.evaluate((css: string) => !document.querySelector('gloss-root')!.shadowRoot!.querySelector(css)?.closest('.entry:not([hidden])'), conversationCss(other)), 'the other is not shown').toBe(true);
    // The words found are marked in the cards (ui/Marked.tsx), across accents and case; the comment's HTML stays text around the marks.
    await waitInUi(
      tab,
      'the words marked in both cards',
      (root, [a, b]: string[]) => {
        const marks = (css: string) => [...root.querySelectorAll(`${css} mark`)].map((m) => m.textContent).join('|');
        return marks(a!) === 'Crème|budget' && marks(b!) === 'budget|crème';
      },
      [conversationCss(dessert), conversationCss(matching)],
    );
    const written = await tab.evaluate((css: string) => {
      const text = document.querySelector('gloss-root')!.shadowRoot!.querySelector(`${css} [data-testid="comment-text"]`)!;
      return { text: text.textContent, elements: [...text.querySelectorAll('*')].map((e) => e.tagName.toLowerCase()) };
    }, conversationCss(matching));
    expect(written).toEqual({ text: 'Another <b>budget</b> line for the crème', elements: ['mark', 'mark'] });
    if (kind === 'chromium') {
      // Readable in both schemes (the marks' own colours), and still marked under forced colours (Mark / MarkText).
      const markedText = `${conversationCss(dessert)} [data-testid="comment-text"]`;
      for (const scheme of ['dark', 'light'] as const) {
        await tab.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
        const { texts } = await tab.evaluate(measureColours, { host: 'gloss-root', within: markedText });
        expect(texts.filter((m) => m.what === 'mark.').map((m) => m.text), scheme).toEqual(['Crème', 'budget']);
        expect(texts.filter((m) => m.ratio < 4.5), scheme).toEqual([]);
        // Underlined, unlike the page highlights' same yellow (ui/styles.ts).
        const underline = await tab.evaluate((css: string) => {
          const m = getComputedStyle(document.querySelector('gloss-root')!.shadowRoot!.querySelector(`${css} mark`)!);
          return `${m.borderBottomStyle} ${m.borderBottomWidth} ${m.borderBottomColor}`;
        }, markedText);
        expect(underline, scheme).toBe('solid 2px rgb(107, 78, 0)');
      }
      await tab.emulateMediaFeatures([]);
      const cdp = await tab.createCDPSession();
      await cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }] });
      const forced = await tab.evaluate((css: string) => {
        const text = document.querySelector('gloss-root')!.shadowRoot!.querySelector(css)!;
        const mark = getComputedStyle(text.querySelector('mark')!);
        return {
          forced: matchMedia('(forced-colors: active)').matches,
          markBackground: mark.backgroundColor,
          textBackground: getComputedStyle(text.closest('[data-testid="conversation"]')!).backgroundColor,
          underline: `${mark.borderBottomStyle} ${mark.borderBottomWidth}`,
          underlineInText: mark.borderBottomColor === mark.color,
        };
      }, markedText);
      expect(forced.forced).toBe(true);
      expect({ underline: forced.underline, inMarkText: forced.underlineInText }, 'the underline, in MarkText').toEqual({ underline: 'solid 2px', inMarkText: true });
      expect(forced.markBackground, 'the mark stands out from the card').not.toBe(forced.textBackground);
      const { texts } = await tab.evaluate(measureColours, { host: 'gloss-root', within: markedText });
      expect(texts.filter((m) => m.ratio < 4.5), 'forced colours').toEqual([]);
      await cdp.send('Emulation.setEmulatedMedia', { features: [] });
      await cdp.detach();
      await screenshot(tab, 'panel-search.png');
    }

    // Nothing matches: a message says so.
    await field.type(' nightly');
    await waitShown(tab, [own], 'no match, the open one kept');
    await waitForUiText(tab, byTestId('search-empty'), /No conversation matches/);
    await waitForUiText(tab, byTestId('search-count'), '0 of 6 conversations');

    // The × clears the field and shows every conversation again.
    await clickUi(tab, byTestId('search-clear'));
    await waitShown(tab, [...everyone, matching, other], 'all six after the clear');
    expect(await field.evaluate((el) => (el as HTMLInputElement).value)).toBe('');
    await told(tab, 'All 6 conversations shown');

    // The quick filters.
    await chooseFilter(tab, 'resolved');
    await waitShown(tab, [coverage, own], 'the resolved one');
    await keptOwn();
    await waitForUiText(tab, byTestId('search-count'), '1 of 6 conversations');
    // The search area with a filter on, in both schemes: every text (the field's words, the pills, the
    // chosen one, the count) at 4.5:1 or more on what is painted under it.
    await field.focus();
    await field.type('coverage');
    await waitForUiText(tab, byTestId('search-count'), '1 of 6 conversations');
    // (Chromium only: Firefox's WebDriver BiDi cannot emulate the colour scheme, and
    // test/e2e/colour-schemes.test.ts measures the UI in Chromium too.)
    for (const scheme of kind === 'chromium' ? (['dark', 'light'] as const) : []) {
      await tab.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      const area = await tab.evaluate(measureColours, { host: 'gloss-root', within: byTestId('search-area') });
      expect(area.texts.map((m) => m.text)).toEqual(expect.arrayContaining(['coverage', 'All', 'Open', 'Resolved', 'Mine', '1 of 6 conversations']));
      expect(area.texts.filter((m) => m.ratio < 4.5), scheme).toEqual([]);
    }
    if (kind === 'chromium') await tab.emulateMediaFeatures([]);
    await clickUi(tab, byTestId('search-clear'));
    await waitForUiText(tab, byTestId('search-count'), '1 of 6 conversations');
    await chooseFilter(tab, 'open');
    await waitShown(tab, [dessert, nightly, own, matching, other], 'the open ones');
    await chooseFilter(tab, 'mine');
    await waitShown(tab, [own, nightly], 'the reader\u2019s own and the one they replied to');
    // Words and a quick filter together.
    await field.focus();
    await field.type('agreed');
    await waitShown(tab, [nightly, own], 'the reader\u2019s conversation with "agreed"');

    // Escape empties the field (the panel stays open); All brings back the rest.
    await tab.keyboard.press('Escape');
    await waitShown(tab, [own, nightly], 'mine again, without the words');
    expect(await field.evaluate((el) => (el as HTMLInputElement).value)).toBe('');
    await chooseFilter(tab, 'all');
    await waitShown(tab, [...everyone, matching, other], 'all six');
    expect(await tab.evaluate(() => !!document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="search-count"]'))).toBe(false);
    await tab.locator(inUi(byTestId('panel'))).setTimeout(WAIT_MS).wait();
  } finally {
    await closeAll(tab);
  }
});

/** The rendered size of each "×" alone (the panel's close, the undo notice's and the error notice's dismiss, the search's clear, the open card's close), in CSS px. */
const iconTargets = (tab: Page) =>
  tab.evaluate(() => {
    const root = document.querySelector('gloss-root')!.shadowRoot!;
    return ['panel-close', 'undo-dismiss', 'error-dismiss', 'search-clear', 'close-conversation'].map((id) => {
      const r = root.querySelector(`[data-testid="${id}"]`)!.getBoundingClientRect();
      return { id, width: Math.round(r.width * 100) / 100, height: Math.round(r.height * 100) / 100 };
    });
  });

for (const kind of ['chromium', 'firefox'] as const) it(`${kind}: every "×" alone is a target of 24×24 px or more (light, dark and forced colours in Chromium); the bar's "–" closes the panel with it, focus kept on its "Gloss"`, async () => {
  // A server with no room for replies (GLOSS_PAGE_REPLY_BYTES=1): the reader's reply is refused, and the
  // error notice says so (its × is the one under test), however the other tests of the file reply.
  const server = await startServerProcess({ env: { GLOSS_PAGE_REPLY_BYTES: '1' } });
  const g = await glossBrowser(kind, `T-${kind}`, { serverUrl: server.url, name: 'Reader' });
  ctx.browsers.push(g);
  const url = ctx.pages.url('article.html', `icon-targets-${kind}`);
  const tab = await openArticle(g, url);
  try {
    await openPanel(tab);
    const kept = await createConversation(tab, '#p-retest', 'retest everything', 'Kept, and replied to');
    await typeInUi(tab, `${conversationCss(kept)} ${byTestId('reply-input')}`, 'No room for this one');
    await clickUi(tab, `${conversationCss(kept)} ${byTestId('reply-submit')}`);
    await waitForUiText(tab, byTestId('error'), /^Not saved: the replies on this page/);
    // The undo notice in the panel: after the reader's own deletion.
    const own = await createConversation(tab, '#p-closing', 'flaky test', 'Mine, to delete');
    await clickUi(tab, `${conversationCss(own)} ${byTestId('delete-conversation')}`);
    await clickUi(tab, `${conversationCss(own)} ${byTestId('delete-conversation-confirm')}`);
    await waitForUiText(tab, byTestId('undo-notice'), /^Conversation deleted/);
    // The search's × shows once the field has words.
    const field = await tab.locator(inUi(byTestId('search'))).setTimeout(WAIT_MS).waitHandle();
    await field.type('kept');
    await tab.locator(inUi(byTestId('search-clear'))).setTimeout(WAIT_MS).wait();
    // The search filters after a pause in typing: until it has, the list may still move under the
    // click below (1 run in 5 in Firefox clicked where the quote had been, and nothing opened).
    await waitForUiText(tab, byTestId('search-count'), /^\d+ of \d+ conversation/);
    // The open card's ×: the kept one opened again (its quote clicked); drawn in the card's corner, beside its quote, not over it.
    await clickUi(tab, `${conversationCss(kept)} ${byTestId('quote')}`);
    await tab.locator(inUi(`${conversationCss(kept)} ${byTestId('close-conversation')}`)).setTimeout(WAIT_MS).wait();
    const corner = await tab.evaluate((css: string) => {
      const card = document.querySelector('gloss-root')!.shadowRoot!.querySelector(css)!;
      const [box, quote, close] = [card, card.querySelector('[data-testid="quote"]')!, card.querySelector('[data-testid="close-conversation"]')!].map((e) => e.getBoundingClientRect());
      return { besideQuote: quote!.right <= close!.left, inCorner: box!.right - close!.right <= 8 && close!.top - box!.top <= 8 };
    }, conversationCss(kept));
    expect(corner, 'the open card\u2019s \u00d7').toEqual({ besideQuote: true, inCorner: true });

    const schemes: { scheme: string; set(): Promise<unknown> }[] = [{ scheme: 'default', set: async () => {} }];
    if (kind === 'chromium') {
      const cdp = await tab.createCDPSession();
      schemes.push(
        { scheme: 'light', set: () => tab.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]) },
        { scheme: 'dark', set: () => tab.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]) },
        { scheme: 'forced colours', set: () => cdp.send('Emulation.setEmulatedMedia', { features: [{ name: 'forced-colors', value: 'active' }] }) },
      );
    }
    for (const { scheme, set } of schemes) {
      await set();
      const sizes = await iconTargets(tab);
      expect(sizes.filter((s) => s.width < 24 || s.height < 24), `${kind}, ${scheme}`).toEqual([]);
    }
    if (kind === 'chromium') await tab.emulateMediaFeatures([]);

    // Collapsing the bar closes the panel: a panel left open under the small "Gloss" hung below an empty gap.
    const toggle = await tab.locator(inUi(byTestId('topbar-toggle'))).setTimeout(WAIT_MS).waitHandle();
    await toggle.focus();
    await tab.keyboard.press('Enter');
    await waitForUiText(tab, byTestId('topbar-toggle'), 'Gloss');
    await waitInUi(tab, 'the panel closed with the bar', (root) => !root.querySelector('[data-testid="panel"]'), null);
    const collapsed = await tab.evaluate(() => {
      const root = document.querySelector('gloss-root')!.shadowRoot!;
      const bar = root.querySelector('[data-testid="topbar"]')!.getBoundingClientRect();
      return { focused: root.activeElement?.getAttribute('data-testid') ?? null, bar: { width: bar.width, height: bar.height }, panels: root.querySelectorAll('.panel').length };
    });
    expect(collapsed.focused, 'focus stays on the collapsed bar\u2019s "Gloss"').toBe('topbar-toggle');
    expect(collapsed.panels).toBe(0);
    expect(collapsed.bar.width, 'the bar collapsed to its one button').toBeLessThan(100);
  } finally {
    await closeAll(tab);
    await server.stop();
  }
});
