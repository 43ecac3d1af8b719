import type { Page } from 'puppeteer';
import { expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import type { FirefoxWithGloss } from './support/firefox.js';
import { openArticle } from './support/gloss-browser.js';
import {
  byTestId,
  clickUi,
  commentsOf,
  conversationCss,
  createConversation,
  highlightState,
  openPanel,
  typeInUi,
  waitForHighlights,
  waitForUiText,
  waitForViewers,
  waitInUi,
} from './support/gloss-ui.js';
import type { StaticServer } from './support/static-server.js';
import { useGlossSession } from './support/session.js';

/**
 * The Firefox build (MV3 with a background script, over WebDriver BiDi) against a Chromium user on
 * the same server: one room, whatever the browser. Firefox is set up through the settings page the
 * add-on opens on install, the only way in (its background cannot be evaluated from the test).
 */
let pages: StaticServer;
let f: FirefoxWithGloss;
let c: ChromiumWithGloss;
let pf: Page;
let pc: Page;

useGlossSession(
  [
    { kind: 'firefox', label: 'F', name: 'Fiona' },
    { kind: 'chromium', label: 'C', name: 'Carl' },
  ],
  async (s) => {
    ({ pages } = s);
    [f, c] = s.browsers as [FirefoxWithGloss, ChromiumWithGloss];
    const url = pages.url('article.html', 'firefox');
    pf = await openArticle(f, url);
    pc = await openArticle(c, url);
  },
);

it('the viewers count covers both browsers', async () => {
  await waitForViewers(pf, 2);
  await waitForViewers(pc, 2);
  await waitForUiText(pf, byTestId('connection'), 'live');
});

it('a conversation created in Firefox appears in Chromium', async () => {
  const id = await createConversation(pf, '#p-definition', 'previously developed', 'Written in Firefox.');
  await waitForHighlights(pc, 1);
  expect((await highlightState(pc)).texts).toEqual(['previously developed']);
  await openPanel(pc);
  await waitInUi(pc, 'the Firefox conversation', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), id);
  expect(await commentsOf(pc, id)).toEqual([{ id, author: 'Fiona', text: 'Written in Firefox.' }]);
});

it('a conversation created in Chromium appears in Firefox, and a reply from Firefox comes back', async () => {
  const id = await createConversation(pc, '#quote-safe', 'only as good as the coverage data', 'Written in Chromium.');
  await waitForHighlights(pf, 2);
  expect((await highlightState(pf)).texts.sort()).toEqual(['only as good as the coverage data', 'previously developed']);
  await openPanel(pf);
  await waitInUi(pf, 'the Chromium conversation', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), id);
  expect(await commentsOf(pf, id)).toEqual([{ id, author: 'Carl', text: 'Written in Chromium.' }]);

  await typeInUi(pf, `${conversationCss(id)} ${byTestId('reply-input')}`, 'Answered from Firefox.');
  await clickUi(pf, `${conversationCss(id)} ${byTestId('reply-submit')}`);
  await waitInUi(pc, 'the reply from Firefox', (root, id: string) => root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length === 2, id);
  expect((await commentsOf(pc, id)).map(({ author, text }) => ({ author, text }))).toEqual([
    { author: 'Carl', text: 'Written in Chromium.' },
    { author: 'Fiona', text: 'Answered from Firefox.' },
  ]);
});
