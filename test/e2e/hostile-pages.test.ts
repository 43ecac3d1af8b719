import { beforeAll, describe, expect, it } from 'vitest';
import { annotateByHand, annotateButtonOffset, dragSelect, onTop, phraseBox, uiStyle } from './support/by-hand.js';
import { closeAll, openArticle, type GlossBrowser } from './support/gloss-browser.js';
import { byTestId, clickUi, conversationIds, createConversation, focusWhenShown, inUi, POLL_MS, WAIT_MS, waitForHighlights, waitForUi, waitForViewers } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * Pages that fight the UI without meaning to (or meaning to): right-to-left layout, resets and zoom,
 * events stopped before the document sees them, a body swapped out. Real Chromium and Firefox with
 * real mouse and keyboard input; the pages are test/e2e/pages/*.html.
 */
let pages: StaticServer;
let browsers: GlossBrowser[];

useGlossSession(
  [
    { kind: 'chromium', label: 'H', name: 'Hostile' },
    { kind: 'firefox', label: 'HF', name: 'Hostile Firefox' },
  ],
  (s) => {
    ({ pages, browsers } = s);
  },
);

for (const kind of ['chromium', 'firefox'] as const) describe(`hostile pages, ${kind}`, () => {
  let g: GlossBrowser;
  beforeAll(() => {
    g = browsers.find((b) => b.kind === kind)!;
  });

  it('a right-to-left page: the bar and panel stay left-to-right, and right-to-left comments read right-to-left', async () => {
    const page = await openArticle(g, pages.url('rtl.html', `rtl-${kind}`));
    try {
      await waitForViewers(page, 1);
      const arabic = 'تعليق باللغة العربية (مع قوسين)';
      const id = await createConversation(page, '#p-en', 'right-to-left page', arabic);
      expect((await uiStyle(page, byTestId('topbar')))!.direction).toBe('ltr');
      expect((await uiStyle(page, byTestId('panel')))!.direction).toBe('ltr');
      const text = await page.evaluate((id: string) => {
        const el = document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment-text"]`)!;
        return { text: el.textContent, direction: getComputedStyle(el).direction };
      }, id);
      expect(text).toEqual({ text: arabic, direction: 'rtl' });
    } finally {
      await closeAll(page);
    }
  });

  it('a page that unsets every property, zooms its root and lays a banner over the top: the bar is unzoomed, on top, and works', async () => {
    const plain = await openArticle(g, pages.url('article.html', `unset-reference-${kind}`));
    const page = await openArticle(g, pages.url('unset.html', `unset-${kind}`));
    try {
      await waitForViewers(plain, 1);
      const reference = (await uiStyle(plain, byTestId('topbar')))!;
      await waitForViewers(page, 1);
      const bar = (await uiStyle(page, byTestId('topbar')))!;
      expect(bar).toMatchObject({ display: 'flex', background: 'rgb(255, 255, 255)', fontSize: '13px' });
      // As big as on a plain page, not half again, and not under the page's banner. (Its x depends on
      // whether the page has a scrollbar, which the plain one has in Firefox.)
      expect({ ...bar.rect, x: 0 }).toEqual({ ...reference.rect, x: 0 });
      expect(await onTop(page, byTestId('topbar'))).toBe(true);
      // The Annotate button sits at its selection, not at zoomed coordinates somewhere else.
      await dragSelect(page, '#p-one', 'all of its properties unset');
      const offset = await annotateButtonOffset(page);
      expect(Math.abs(offset.dx), `the button is ${JSON.stringify(offset)} off its place`).toBeLessThan(2);
      expect(Math.abs(offset.dy), `the button is ${JSON.stringify(offset)} off its place`).toBeLessThan(2);
      const id = await annotateByHand(page, '#p-one', 'all of its properties unset', 'Still works.');
      await waitForHighlights(page, 1);
      expect(await conversationIds(page)).toContain(id);
      expect(await onTop(page, byTestId('panel'))).toBe(true);
    } finally {
      await closeAll(page, plain);
    }
  });

  it('a page that stops selection changes at the window and clicks and keys in its content: selecting by keyboard and opening a highlight still work', async () => {
    const page = await openArticle(g, pages.url('stoppers.html', `stoppers-${kind}`));
    try {
      await waitForViewers(page, 1);
      const id = await annotateByHand(page, '#p-one', 'stopped before it reaches the document', 'Selected in spite of the page.');
      await waitForHighlights(page, 1);

      // Close the panel; a click on the highlighted words opens it again on that conversation.
      await clickUi(page, byTestId('panel-toggle'));
      await page.waitForFunction(() => !document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="panel"]'), { timeout: WAIT_MS, polling: POLL_MS });
      await page.evaluate(() => document.getSelection()!.removeAllRanges());
      const { first } = await phraseBox(page, '#p-one', 'stopped before it reaches the document');
      await page.mouse.click(first.x + 20, first.y);
      await page.waitForFunction((id: string) => document.querySelector('gloss-root')!.shadowRoot!.querySelector(`[data-testid="conversation"][data-id="${id}"].active`), { timeout: WAIT_MS, polling: POLL_MS }, id);

      // A selection made (and changed) with the keyboard only: the Annotate button follows it.
      await page.evaluate(() => {
        const text = document.querySelector('#p-two')!.firstChild as Text;
        const at = text.data.indexOf('by mouse');
        document.getSelection()!.setBaseAndExtent(text, at, text, at + 1);
      });
      await page.keyboard.down('Shift');
      for (let i = 1; i < 'by mouse or keyboard'.length; i++) await page.keyboard.press('ArrowRight');
      await page.keyboard.up('Shift');
      await page.locator(inUi(byTestId('annotate-button'))).setTimeout(WAIT_MS).wait();
      // The caret is in the field from the moment the composer shows, not a frame later: what the
      // reader types right after "a" must not go to the page (on a loaded machine it did).
      const focusAtComposer = await focusWhenShown(page, byTestId('composer'));
      await page.keyboard.press('a');
      await page.locator(inUi(byTestId('composer'))).setTimeout(WAIT_MS).wait();
      expect(await focusAtComposer()).toBe('TEXTAREA');
      expect(await page.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.activeElement?.tagName)).toBe('TEXTAREA');
    } finally {
      await closeAll(page);
    }
  });

  it('a page that replaces its body, then removes what it did not put in <html> and <head>: the bar comes back and annotates the new body', async () => {
    const page = await openArticle(g, pages.url('replaced-body.html', `replaced-body-${kind}`));
    try {
      await waitForViewers(page, 1);
      await page.evaluate(() => (window as unknown as { replaceBody(): void }).replaceBody());
      await page.evaluate(() => (window as unknown as { wipeRoot(): void }).wipeRoot());
      await waitForUi(page);
      await waitForViewers(page, 1);
      const id = await annotateByHand(page, '#p-one', 'replaced the one the page loaded with', 'On the new body.');
      await waitForHighlights(page, 1);
      expect(await conversationIds(page)).toEqual([id]);
      // The highlight's colour rule is back in the new <head> as well.
      expect(await page.evaluate(() => document.getElementById('gloss-highlight-style')?.parentNode === document.head)).toBe(true);
    } finally {
      await closeAll(page);
    }
  });
});
