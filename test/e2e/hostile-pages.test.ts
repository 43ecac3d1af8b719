import { describe, expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { uiStyle } from './support/by-hand.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { byTestId, createConversation, waitForViewers } from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * Pages that fight the UI without meaning to (or meaning to): right-to-left layout, resets and zoom,
 * events stopped before the document sees them, a body swapped out, a strict CSP. Real Chromium with
 * real mouse and keyboard input; the pages are test/e2e/pages/*.html.
 */
let pages: StaticServer;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'H', name: 'Hostile' }], (s) => {
  ({ pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});

describe('hostile pages', () => {
  it('a right-to-left page: the bar and panel stay left-to-right, and right-to-left comments read right-to-left', async () => {
    const page = await openArticle(g, pages.url('rtl.html', 'rtl'));
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
});
