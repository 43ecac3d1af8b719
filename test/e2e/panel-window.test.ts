import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import { WINDOW_STEP } from '../../extension/content/ui/panel-window.js';
import { phraseBox } from './support/by-hand.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, inUi, openPanel, POLL_MS, showAllCards, waitForHighlights, waitForUiText, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import { useBobOnPages } from './support/bob-on-pages.js';

/**
 * A panel with more conversations than it renders at once (extension/content/ui/Panel.tsx,
 * panel-window.ts), in real Chromium and Firefox ESR: Bob writes 2.5 windows' worth through the real
 * server. The panel renders the first ones and a "Show more" button; the search still finds and
 * counts them all; a highlight clicked on the page opens its card wherever it is; the button, pressed
 * with the keyboard, renders the next ones and takes focus on to the first of them; scrolling near
 * the end renders the rest (the browser's IntersectionObserver); a live insert among the rendered
 * cards pushes none out.
 */
const ctx = useBobOnPages();

/** The article's words of five letters or more, in page order, each once: quotes Bob can write on. */
function articleWords(): string[] {
  const html = fs.readFileSync(path.join(import.meta.dirname, 'pages', 'article.html'), 'utf8');
  const body = html.slice(html.indexOf('<body')).replace(/<[^>]+>/g, ' ');
  return [...new Set(body.match(/[A-Za-z]{5,}/g) ?? [])];
}

interface Cards {
  /** The ids of the cards on screen, in order. */
  shown: string[];
  /** "Show more"'s text, or null without it. */
  more: string | null;
}
const cards = (tab: Page) =>
  tab.evaluate((): Cards => {
    const root = document.querySelector('gloss-root')!.shadowRoot!;
    return {
      shown: [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].filter((c) => !c.closest('[hidden]')).map((c) => c.dataset.id!),
      more: root.querySelector('[data-testid="panel-more"]')?.textContent ?? null,
    };
  });
const waitCards = (tab: Page, count: number, more: string | null, what: string) =>
  waitInUi(
    tab,
    what,
    (root, [count, more]: [number, string | null]) =>
      [...root.querySelectorAll('[data-testid="conversation"]')].filter((c) => !c.closest('[hidden]')).length === count && (root.querySelector('[data-testid="panel-more"]')?.textContent ?? null) === more,
    [count, more] as [number, string | null],
  );

/**
 * What assistive technology is told of the list (ui/list-positions.ts): its role, and each entry on
 * screen as [conversation id, aria-posinset, aria-setsize].
 */
const listNumbers = (tab: Page) =>
  tab.evaluate(() => {
    const root = document.querySelector('gloss-root')!.shadowRoot!;
    const list = root.querySelector('[role="list"]');
    const entries = [...(list?.children ?? [])].filter((e): e is HTMLElement => e instanceof HTMLElement && e.getAttribute('role') === 'listitem' && !e.hidden);
    return { list: list !== null, entries: entries.map((e) => [e.dataset.entry!, Number(e.getAttribute('aria-posinset')), Number(e.getAttribute('aria-setsize'))] as [string, number, number]) };
  });
/** Every entry on screen numbered 1..n in order, out of `size`. */
async function expectNumbered(tab: Page, shown: readonly string[], size: number, what: string) {
  const { list, entries } = await listNumbers(tab);
  expect(list, what).toBe(true);
  expect(entries, what).toEqual(shown.map((id, i) => [id, i + 1, size]));
}

for (const kind of ['chromium', 'firefox'] as const) it(`${kind}: renders the first conversations, more on "Show more" and near the end, and always the open one; the search covers them all`, async () => {
  const g = await glossBrowser(kind, `W-${kind}`, { serverUrl: ctx.server.url, name: 'Reader' });
  ctx.browsers.push(g);
  const url = ctx.pages.url('article.html', `panel-window-${kind}`);
  // One conversation on "trustworthy", near the end of the page; the others on every other word, in turn.
  const words = articleWords().filter((w) => w !== 'trustworthy');
  const total = Math.floor(2.5 * WINDOW_STEP);
  const ids: string[] = [];
  for (let i = 0; i < total - 1; i++) {
    // Under the server's rate limit (a burst of 200, then 50 a second).
    if (i === 150) await new Promise((r) => setTimeout(r, 2000));
    ids.push(await ctx.seed(url, words[i % words.length]!, `Note ${i}, kiwi${i}`));
  }
  const far = await ctx.seed(url, 'trustworthy', 'The far one');

  const tab = await openArticle(g, url);
  try {
    await waitForHighlights(tab, total);
    await openPanel(tab);
    await waitCards(tab, WINDOW_STEP, `Show ${WINDOW_STEP} more (${total - WINDOW_STEP} not listed yet)`, 'the first cards and the button');
    const first = (await cards(tab)).shown;
    expect(first, 'the far one is not among the first').not.toContain(far);
    await expectNumbered(tab, first, total, 'the list says all of them, not the rendered ones');

    // A live insert near the top of the page is rendered, and pushes none of the others out.
    const early = await ctx.seed(url, 'Regression', 'A new one, near the top');
    await waitCards(tab, WINDOW_STEP + 1, `Show ${WINDOW_STEP} more (${total - WINDOW_STEP} not listed yet)`, 'the live insert among the first cards');
    expect((await cards(tab)).shown).toEqual(expect.arrayContaining([early, ...first]));
    await expectNumbered(tab, (await cards(tab)).shown, total + 1, 'after the live insert');

    // The search covers every conversation, rendered or not, and counts them all.
    const field = await tab.locator(inUi(byTestId('search'))).setTimeout(WAIT_MS).waitHandle();
    await field.focus();
    await field.type(`kiwi${total - 2}`);
    await waitCards(tab, 1, null, 'the one match, never rendered before');
    expect((await cards(tab)).shown).toEqual([ids[total - 2]]);
    await waitForUiText(tab, byTestId('search-count'), `1 of ${total + 1} conversations`);
    await expectNumbered(tab, [ids[total - 2]!], 1, 'under the search');
    await clickUi(tab, byTestId('search-clear'));
    await waitCards(tab, WINDOW_STEP, `Show ${WINDOW_STEP} more (${total + 1 - WINDOW_STEP} not listed yet)`, 'the first cards again after the clear');
    await expectNumbered(tab, (await cards(tab)).shown, total + 1, 'after the clear');

    // With the panel closed (it would cover the words), a click on the far one's highlight opens the
    // panel on its card, in view, though the cards before it are not rendered.
    await clickUi(tab, byTestId('panel-toggle'));
    await tab.waitForFunction(() => !document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="panel"]'), { timeout: WAIT_MS, polling: POLL_MS });
    const { first: box } = await phraseBox(tab, '#p-closing', 'trustworthy');
    await tab.evaluate((y: number) => window.scrollBy(0, y - innerHeight / 2), box.y);
    const { first: seen } = await phraseBox(tab, '#p-closing', 'trustworthy');
    await tab.mouse.click(seen.x, seen.y);
    await waitInUi(
      tab,
      'the far card, open and in the panel\u2019s view',
      (root, id: string) => {
        const el = root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"].active`);
        const list = root.querySelector('.list');
        if (!el || el.closest('[hidden]') || !list) return false;
        const r = el.getBoundingClientRect();
        const l = list.getBoundingClientRect();
        return r.bottom > l.top && r.top < l.bottom;
      },
      far,
    );

    // "Show more" with the keyboard: the next cards, and focus on the first of them.
    const before = (await cards(tab)).shown;
    await tab.locator(inUi(byTestId('panel-more'))).setTimeout(WAIT_MS).wait();
    await tab.evaluate(() => (document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="panel-more"]') as HTMLElement).focus());
    await tab.keyboard.press('Enter');
    await waitInUi(tab, 'more cards', (root, n: number) => [...root.querySelectorAll('[data-testid="conversation"]')].filter((c) => !c.closest('[hidden]')).length > n, before.length);
    const after = (await cards(tab)).shown;
    const added = after.filter((id) => !before.includes(id));
    expect(added.length).toBe(WINDOW_STEP);
    await waitInUi(tab, 'focus on the first card added', (root, id: string) => (root.activeElement as HTMLElement | null)?.dataset.id === id, added[0]!);
    expect(after.indexOf(added[0]!), 'right after the first ones').toBe(WINDOW_STEP);
    // Numbered on from the first ones; the open far card, rendered after them, has its own place near the end.
    const numbered = new Map((await listNumbers(tab)).entries.map(([id, at, size]) => [id, [at, size]]));
    expect(added.map((id) => numbered.get(id))).toEqual(added.map((_, i) => [WINDOW_STEP + 1 + i, total + 1]));
    expect(numbered.get(far)![1]).toBe(total + 1);
    expect(numbered.get(far)![0]).toBeGreaterThan(2 * WINDOW_STEP);

    // Scrolled down until the button is half a screen below the list's view (the open card, after it,
    // out of view): the rest are rendered, with no button left.
    await showAllCards(tab);
    await waitCards(tab, total + 1, null, 'every card');
    expect(new Set((await cards(tab)).shown)).toEqual(new Set([...ids, far, early]));
  } finally {
    await closeAll(tab);
  }
});
