import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import { createConversation, waitForViewers } from './support/gloss-ui.js';
import { openRealPopup, popupViewers } from './support/popup.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * A display name may be 80 characters with no space in it (an e-mail address, a login from a token):
 * the popup and the panel must wrap it inside their boxes, not run it out of them.
 */
const LONG_NAME = `${'long.display.name.'.repeat(4)}@example.org`.slice(0, 80);

let pages: StaticServer;
let g: ChromiumWithGloss;

useGlossSession([{ kind: 'chromium', label: 'L', name: LONG_NAME }], (s) => {
  ({ pages } = s);
  g = s.browsers[0] as ChromiumWithGloss;
});

it('the popup wraps a long viewer name inside its list', async () => {
  const article = await openArticle(g, pages.url('article.html', 'long-name'));
  let popup: Page | undefined;
  try {
    await waitForViewers(article, 1);
    popup = await openRealPopup(g, article);
    expect(await popupViewers(popup, 1)).toEqual([LONG_NAME]);
    const fit = await popup.$eval('[data-testid="popup-users"] li', (li) => ({ content: li.scrollWidth, box: li.clientWidth }));
    expect(fit.content, `the name is ${fit.content}px wide in a ${fit.box}px list item`).toBeLessThanOrEqual(fit.box);
  } finally {
    await closeAll(popup, article);
  }
});

it('the panel wraps a long author name inside its comment', async () => {
  const article = await openArticle(g, pages.url('article.html', 'long-author'));
  try {
    const id = await createConversation(article, '#p-growth', 'test automation is frequently involved', 'Signed with a long name.');
    const fit = await article.evaluate((id: string) => {
      const root = document.querySelector('gloss-root')!.shadowRoot!;
      const comment = root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`)!;
      const list = root.querySelector<HTMLElement>('[data-testid="panel"] .list')!;
      const time = comment.querySelector<HTMLElement>('.meta time')!;
      return {
        author: comment.querySelector('[data-testid="comment-author"]')!.textContent,
        content: comment.scrollWidth,
        box: comment.clientWidth,
        listContent: list.scrollWidth,
        listBox: list.clientWidth,
        time: { text: time.textContent, height: time.getBoundingClientRect().height, fontSize: parseFloat(getComputedStyle(time).fontSize) },
      };
    }, id);
    // The name wraps, the time beside it does not: "10:34" over "PM" read as two things.
    expect(fit.time.height, `the time ${JSON.stringify(fit.time.text)} is ${fit.time.height}px high`).toBeLessThan(2 * fit.time.fontSize);
    expect(fit.author).toBe(LONG_NAME);
    expect(fit.content, `the comment is ${fit.content}px wide in a ${fit.box}px box`).toBeLessThanOrEqual(fit.box);
    expect(fit.listContent, 'the panel scrolls sideways').toBeLessThanOrEqual(fit.listBox);
  } finally {
    await closeAll(article);
  }
});
