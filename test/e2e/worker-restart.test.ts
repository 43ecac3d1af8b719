import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { openArticle } from './support/gloss-browser.js';
import {
  byTestId,
  clickUi,
  commentsOf,
  conversationCss,
  createConversation,
  openPanel,
  typeInUi,
  waitForHighlights,
  waitForUiText,
  waitForViewers,
  waitInUi,
} from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { ALICE_AND_BOB, useGlossSession } from './support/session.js';
import { waitFor } from './support/wait.js';

/**
 * MV3 stops idle service workers; Gloss must not lose the session when it happens. The worker is
 * stopped with `worker.close()` (see the browser notes), the way Chrome stops it: ports drop, the
 * content script reconnects, which starts a fresh worker that must rejoin the page and keep relaying.
 */
let pages: StaticServer;
let a: ChromiumWithGloss;
let b: ChromiumWithGloss;
let pa: Page;
let pb: Page;

useGlossSession(ALICE_AND_BOB, (s) => {
  ({ pages } = s);
  [a, b] = s.browsers as [ChromiumWithGloss, ChromiumWithGloss];
});

it('stopping the service worker does not lose the session: ports reconnect and the next change still arrives', async () => {
  const url = pages.url('article.html', 'worker-restart');
  pa = await openArticle(a, url);
  pb = await openArticle(b, url);
  await waitForViewers(pa, 2);
  await waitForViewers(pb, 2);
  const id = await createConversation(pa, '#p-growth', 'test automation is frequently involved', 'Before the worker stops.');
  await waitForHighlights(pb, 1);

  // Mark the running worker, so that a fresh one can be told apart from it.
  const before = await a.worker();
  await before.evaluate(() => {
    (globalThis as { __e2eMark?: boolean }).__e2eMark = true;
  });
  await before.close();

  await waitFor(
    'a fresh service worker (without the mark of the stopped one)',
    async () => {
      const w = await a.worker();
      return w.evaluate(() => (globalThis as { __e2eMark?: boolean }).__e2eMark !== true);
    },
    60_000,
  );
  await waitForUiText(pa, byTestId('connection'), 'live', 60_000);
  await waitForViewers(pa, 2);
  // What the tab showed survives: the conversation is still there and highlighted.
  await waitForHighlights(pa, 1);

  // B's next change reaches A through the new worker...
  await openPanel(pb);
  await typeInUi(pb, `${conversationCss(id)} ${byTestId('reply-input')}`, 'After the worker stopped.');
  await clickUi(pb, `${conversationCss(id)} ${byTestId('reply-submit')}`);
  await openPanel(pa);
  await waitInUi(pa, 'B\'s reply after the restart', (root, id: string) => root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length === 2, id);
  expect((await commentsOf(pa, id)).map((c) => c.text)).toEqual(['Before the worker stops.', 'After the worker stopped.']);

  // ...and A's own operations still go out.
  const second = await createConversation(pa, '#p-retest', 'the most expensive one', 'Created by the fresh worker.');
  await waitForHighlights(pb, 2);
  await waitInUi(pb, 'the conversation made after the restart', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), second);
  expect(await commentsOf(pb, second)).toEqual([{ id: second, author: 'Alice', text: 'Created by the fresh worker.' }]);
});
