import type { Page } from 'puppeteer';
import { beforeAll, describe, expect, it } from 'vitest';
import { closeAll, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import { byTestId, conversationCss, conversationIds, createConversation, inUi, typeInUi, uiText, waitForViewers, waitInUi, WAIT_MS } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * A reader who never touches the mouse, in real Chromium and Firefox with real key presses: a caret in
 * the text, shift+arrows to select, then the Gloss UI by keyboard alone.
 */

let pages: StaticServer;
let browsers: GlossBrowser[];

useGlossSession(
  [
    { kind: 'chromium', label: 'K', name: 'Keyboard' },
    { kind: 'firefox', label: 'KF', name: 'Keyboard Firefox' },
  ],
  (s) => {
    ({ pages, browsers } = s);
  },
);

/**
 * Selects the first letter of `phrase` in `within`. (Caret browsing, F7, is how a keyboard reader puts a
 * caret in text and takes that first letter; headless Chromium has no caret browsing, but it does
 * extend a selection of page text with shift+arrows, which is what the rest of the selecting is.)
 */
async function firstLetterOf(page: Page, within: string, phrase: string): Promise<void> {
  await page.evaluate(
    (within: string, phrase: string) => {
      const text = document.querySelector(within)!.firstChild as Text;
      const at = text.data.indexOf(phrase);
      document.getSelection()!.setBaseAndExtent(text, at, text, at + 1);
    },
    within,
    phrase,
  );
}

async function selectWithShiftArrows(page: Page, within: string, phrase: string): Promise<void> {
  await page.bringToFront();
  await firstLetterOf(page, within, phrase);
  await page.keyboard.down('Shift');
  for (let i = 1; i < phrase.length; i++) await page.keyboard.press('ArrowRight');
  await page.keyboard.up('Shift');
  expect(await page.evaluate(() => document.getSelection()!.toString())).toBe(phrase);
}

/** What has focus inside our shadow root: the test id of the element, or of its nearest marked ancestor, and its tag. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector('gloss-root')?.shadowRoot?.activeElement;
    return el ? { tag: el.tagName.toLowerCase(), within: el.closest('[data-testid]')?.getAttribute('data-testid') ?? null } : null;
  });

for (const kind of ['chromium', 'firefox'] as const) describe(kind, () => {
  let g: GlossBrowser;
  beforeAll(() => {
    g = browsers.find((b) => b.kind === kind)!;
  });

  it('selects with shift+arrows, opens the composer with A and posts with Ctrl+Enter', async () => {
    const article = await openArticle(g, pages.url('article.html', `keyboard-post-${kind}`));
    try {
      await waitForViewers(article, 1);
      await selectWithShiftArrows(article, '#p-growth', 'test automation');
      await article.locator(inUi(byTestId('annotate-button'))).setTimeout(WAIT_MS).wait();
      await article.keyboard.press('a');
      await article.locator(inUi(byTestId('composer'))).setTimeout(WAIT_MS).wait();
      expect(await focused(article)).toEqual({ tag: 'textarea', within: 'composer' });
      await article.keyboard.type('Typed, never clicked.');
      await article.keyboard.down('Control');
      await article.keyboard.press('Enter');
      await article.keyboard.up('Control');
      await waitInUi(article, 'the new conversation, confirmed, with the typed text', (root) =>
        [...root.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].some((c) => c.dataset.pending === 'false' && c.querySelector('[data-testid="comment-text"]')?.textContent === 'Typed, never clicked.'), null);
      expect(await conversationIds(article)).toHaveLength(1);
    } finally {
      await closeAll(article);
    }
  });

  it('Escape in the composer, even on its buttons, closes it and gives the selection back', async () => {
    const article = await openArticle(g, pages.url('article.html', `keyboard-cancel-${kind}`));
    try {
      await waitForViewers(article, 1);
      await selectWithShiftArrows(article, '#p-growth', 'regression test suites');
      await article.locator(inUi(byTestId('annotate-button'))).setTimeout(WAIT_MS).wait();
      await article.keyboard.press('a');
      await article.locator(inUi(byTestId('composer'))).setTimeout(WAIT_MS).wait();
      await article.keyboard.type('Second thoughts');
      await article.keyboard.press('Tab');
      expect(await focused(article)).toEqual({ tag: 'button', within: 'composer-submit' });
      await article.keyboard.press('Escape');
      await waitInUi(article, 'the composer gone and the Annotate button back', (root) => !root.querySelector('[data-testid="composer"]') && !!root.querySelector('[data-testid="annotate-button"]'), null);
      expect(await article.evaluate(() => document.getSelection()!.toString())).toBe('regression test suites');
      // And the reader can go on from there: one more shift+arrow extends the same selection.
      await article.keyboard.down('Shift');
      await article.keyboard.press('ArrowRight');
      await article.keyboard.up('Shift');
      expect(await article.evaluate(() => document.getSelection()!.toString())).toBe('regression test suites ');
      expect(await conversationIds(article)).toEqual([]);
    } finally {
      await closeAll(article);
    }
  });

  it('Escape lets go of the open conversation, then closes the panel back onto its toggle, and a comment deleted by keyboard leaves focus on its conversation', async () => {
    const article = await openArticle(g, pages.url('article.html', `keyboard-panel-${kind}`));
    try {
      await waitForViewers(article, 1);
      const id = await createConversation(article, '#p-growth', 'change impact analysis', 'Opening.');
      await typeInUi(article, `${conversationCss(id)} ${byTestId('reply-input')}`, 'A second thought.');
      await article.keyboard.down('Control');
      await article.keyboard.press('Enter');
      await article.keyboard.up('Control');
      await waitInUi(article, 'the reply, confirmed', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"] [data-testid="delete-comment"]`), id);

      // Delete the reply with the keyboard: it asks first, focus on Cancel (a second Enter deletes nothing); Escape keeps it
      // and gives focus back; asked again, Shift+Tab to "Delete reply"; focus stays in its conversation, not at the top of the page.
      await article.$eval(inUi(`${conversationCss(id)} ${byTestId('delete-comment')}`), (el) => (el as HTMLElement).focus());
      await article.keyboard.press('Enter');
      await waitInUi(article, 'focus on Cancel', (root) => root.activeElement?.getAttribute('data-testid') === 'delete-comment-cancel', null);
      await article.keyboard.press('Escape');
      await waitInUi(article, 'focus back on Delete', (root) => root.activeElement?.getAttribute('data-testid') === 'delete-comment', null);
      expect(await article.evaluate((id: string) => document.querySelector('gloss-root')!.shadowRoot!.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length, id)).toBe(2);
      expect(await uiText(article, byTestId('panel')), 'Escape answered the question, the panel stays').not.toBeNull();
      await article.keyboard.press('Enter');
      await waitInUi(article, 'focus on Cancel again', (root) => root.activeElement?.getAttribute('data-testid') === 'delete-comment-cancel', null);
      await article.keyboard.down('Shift');
      await article.keyboard.press('Tab');
      await article.keyboard.up('Shift');
      expect(await focused(article)).toEqual({ tag: 'button', within: 'delete-comment-confirm' });
      await article.keyboard.press('Enter');
      await waitInUi(article, 'the reply gone', (root, id: string) => root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length === 1, id);
      await waitInUi(article, 'focus on the conversation', (root, id: string) => (root.activeElement as HTMLElement | null)?.dataset.id === id, id);

      // From the top bar's toggle into the panel and out again with Escape.
      await article.$eval(inUi(byTestId('panel-toggle')), (el) => (el as HTMLElement).focus());
      await article.keyboard.press('Enter');
      await waitInUi(article, 'the panel closed', (root) => !root.querySelector('[data-testid="panel"]'), null);
      await article.keyboard.press('Enter');
      await article.locator(inUi(byTestId('panel'))).setTimeout(WAIT_MS).wait();
      // In the open card (the one written here), the first Escape lets go of it, focus staying on Resolve; the next closes the panel.
      await article.$eval(inUi(`${conversationCss(id)} ${byTestId('resolve')}`), (el) => (el as HTMLElement).focus());
      await article.keyboard.press('Escape');
      await waitInUi(article, 'the conversation let go by Escape', (root, id: string) => !root.querySelector(`[data-testid="conversation"][data-id="${id}"].active`), id);
      expect(await uiText(article, byTestId('panel')), 'the panel stays').not.toBeNull();
      expect(await focused(article)).toEqual({ tag: 'button', within: 'resolve' });
      await article.keyboard.press('Escape');
      await waitInUi(article, 'the panel closed by Escape', (root) => !root.querySelector('[data-testid="panel"]'), null);
      expect(await focused(article)).toEqual({ tag: 'button', within: 'panel-toggle' });
    } finally {
      await closeAll(article);
    }
  });
});
