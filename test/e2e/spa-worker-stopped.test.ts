import type { Page, WebWorker } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, commentsOf, conversationCss, conversationIds, createConversation, openPanel, typeInUi, waitForHighlights, waitForUiText, waitForViewers, waitInUi } from './support/gloss-ui.js';
import { ALICE_AND_BOB, useGlossSession, type GlossSession } from './support/session.js';
import { waitFor } from './support/wait.js';

/**
 * A reply made in a single-page app just before a click on one of its links, while the worker could
 * not take it: the tab moved on (history.pushState) before the reply reached any worker. Before, the
 * content script dropped it as its new port opened on the new page (the worker files a port's
 * messages under the port's page); now it sends it over the new port naming the page it was made
 * on, and the next worker files it there, as that page is one this tab's ports were opened on
 * (background/tab-history.ts, kept in storage.session across the worker's stop).
 *
 * The worker is frozen first (CDP Debugger.pause: it reads nothing more, as one being stopped), so
 * that the reply posted to it is never read, and stopped once the tab has moved: the reply is then in
 * no worker and the tab holds it, deterministically, which a race between the port's reconnect delay
 * (0.25 s) and a click could not give.
 */
let session!: GlossSession;
useGlossSession(ALICE_AND_BOB, (s) => void (session = s));

/** Runs the app's own router in the page's world, as a click on one of its links would. */
async function go(page: Page, view: string): Promise<void> {
  await page.evaluate((view: string) => (window as unknown as { go(v: string): void }).go(view), view);
}

const MARK = '__e2eFrozen';

it('a reply made while the worker was stopped, just before a pushState move, reaches the readers of the page it was made on', async () => {
  const [a, b] = session.browsers as [ChromiumWithGloss, ChromiumWithGloss];
  const view = (v: string) => `${session.pages.url('spa.html', 'spa-worker-stopped')}&view=${v}`;
  const pb = await openArticle(b, view('a'));
  const pa = await openArticle(a, view('a'));
  await waitForViewers(pa, 2);
  const id = await createConversation(pb, '#p-a', 'quick brown fox', 'Bob on view A.');
  await waitForHighlights(pa, 1);

  await openPanel(pa);
  await typeInUi(pa, `${conversationCss(id)} ${byTestId('reply-input')}`, 'Alice, just before leaving view A.');

  const frozen: WebWorker = await a.worker();
  await frozen.evaluate((mark: string) => {
    (globalThis as Record<string, unknown>)[mark] = true;
  }, MARK);
  await frozen.client.send('Debugger.enable');
  await frozen.client.send('Debugger.pause');

  await clickUi(pa, `${conversationCss(id)} ${byTestId('reply-submit')}`);
  // Posted (its field empties), never read by the frozen worker.
  await waitInUi(pa, 'the reply posted', (root, css: string) => root.querySelector<HTMLTextAreaElement>(css)?.value === '', `${conversationCss(id)} ${byTestId('reply-input')}`);
  await go(pa, 'b');
  // The tab took a port on view B (to the frozen worker, which answers nothing).
  await waitForUiText(pa, byTestId('connection'), 'connecting');
  await frozen.close();

  await waitFor(
    'a fresh service worker (without the mark of the frozen one)',
    async () => {
      const w = await a.worker();
      return w.evaluate((mark: string) => (globalThis as Record<string, unknown>)[mark] !== true, MARK);
    },
    60_000,
  );
  await waitForUiText(pa, byTestId('connection'), 'live', 60_000);

  // Bob, still on view A, gets Alice's reply, once.
  await openPanel(pb);
  await waitInUi(pb, 'Alice\'s reply on view A', (root, css: string) => root.querySelectorAll(`${css} [data-testid="comment"]`).length === 2, conversationCss(id));
  expect(await commentsOf(pb, id)).toEqual([
    { id, author: 'Bob', text: 'Bob on view A.' },
    { id: expect.any(String), author: 'Alice', text: 'Alice, just before leaving view A.' },
  ]);

  // Alice's tab shows view B: nothing of view A, and no refusal.
  expect(await conversationIds(pa)).toEqual([]);
  await waitForHighlights(pa, 0);
  expect(await pa.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="error"]')?.textContent ?? null)).toBeNull();

  // Going back to view A, Alice finds her reply there, confirmed.
  await pa.evaluate(() => history.back());
  await waitInUi(pa, 'Alice\'s reply on view A again', (root, css: string) => root.querySelectorAll(`${css} [data-testid="comment"]`).length === 2, conversationCss(id));
  expect((await commentsOf(pa, id)).map((c) => c.text)).toEqual(['Bob on view A.', 'Alice, just before leaving view A.']);
});
