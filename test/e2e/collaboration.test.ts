import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import {
  byTestId,
  clickUi,
  commentsOf,
  conversationCss,
  conversationIds,
  createConversation,
  highlightState,
  openPanel,
  POLL_MS,
  typeInUi,
  uiText,
  WAIT_MS,
  waitForHighlights,
  waitForUiText,
  waitForViewers,
  waitInUi,
} from './support/gloss-ui.js';
import { waitNothingPending } from './support/faults-ui.js';
import { openRealPopup, popupViewers, POPUP_PATH, tabIdOf } from './support/popup.js';
import { screenshot } from './support/screenshots.js';
import type { StaticServer } from './support/static-server.js';
import { ALICE_AND_BOB, useGlossSession } from './support/session.js';

/**
 * Two Chromium instances with fresh profiles are two anonymous users, Alice (A) and Bob (B), on the
 * real server. Everything goes through the real UI: selection, Annotate, the panel's buttons.
 */
let pages: StaticServer;
let a: ChromiumWithGloss;
let b: ChromiumWithGloss;

useGlossSession(ALICE_AND_BOB, (s) => {
  ({ pages } = s);
  [a, b] = s.browsers as [ChromiumWithGloss, ChromiumWithGloss];
});

describe('a conversation, from creation to deletion, followed live by another user', () => {
  const quote = 'Regression testing is re-running functional and non-functional tests';
  let url: string;
  let pa: Page;
  let pb: Page;
  let id: string;
  let replyId: string;

  beforeAll(async () => {
    url = pages.url('article.html', 'lifecycle');
    pa = await openArticle(a, url);
    pb = await openArticle(b, url);
    await waitForViewers(pa, 2);
    await waitForViewers(pb, 2);
  });

  afterAll(async () => {
    await closeAll(pa, pb);
  });

  it('A creates a conversation on a selection; B sees its highlight and its text in the panel', async () => {
    id = await createConversation(pa, '#p-definition', quote, 'This definition leaves out that suites only ever grow.');
    await waitForHighlights(pa, 1);

    await waitForHighlights(pb, 1);
    const highlights = await highlightState(pb);
    expect(highlights).toEqual({ dataset: '1', ranges: 1, texts: [quote], within: ['p-definition'] });

    await openPanel(pb);
    await waitInUi(pb, 'the conversation in the panel', (root, id: string) => root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), id);
    expect(await uiText(pb, `${conversationCss(id)} ${byTestId('quote')}`)).toBe(quote);
    expect(await commentsOf(pb, id)).toEqual([{ id, author: 'Alice', text: 'This definition leaves out that suites only ever grow.' }]);
    expect(await pb.evaluate((id: string) => document.querySelector('gloss-root')!.shadowRoot!.querySelector<HTMLElement>(`[data-id="${id}"]`)!.dataset.resolved, id)).toBe('false');
  });

  it('a repeated phrase is highlighted where it was selected, not at its first occurrence', async () => {
    // "selection strategy" appears in the blockquote first, then in the paragraph that is annotated.
    const second = await createConversation(pa, '#p-priority', 'selection strategy', 'Only this occurrence.');
    await waitForHighlights(pb, 2);
    const { texts, within } = await highlightState(pb);
    expect(texts).toContain('selection strategy');
    expect(within[texts.indexOf('selection strategy')]).toBe('p-priority');
    await screenshot(pb, 'page-with-highlights.png');
    // Cleaned up at once, so the rest of the lifecycle counts one conversation.
    await clickUi(pa, `${conversationCss(second)} ${byTestId('delete-conversation')}`);
    await clickUi(pa, `${conversationCss(second)} ${byTestId('delete-conversation-confirm')}`);
    await waitForHighlights(pb, 1);
    await waitForHighlights(pa, 1);
  });

  it('B replies and A sees the reply', async () => {
    await openPanel(pa);
    await typeInUi(pb, `${conversationCss(id)} ${byTestId('reply-input')}`, 'Agreed: and nobody prunes them.');
    await clickUi(pb, `${conversationCss(id)} ${byTestId('reply-submit')}`);

    await waitInUi(pa, 'B\'s reply', (root, id: string) => root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length === 2, id);
    const comments = await commentsOf(pa, id);
    expect(comments.map(({ author, text }) => ({ author, text }))).toEqual([
      { author: 'Alice', text: 'This definition leaves out that suites only ever grow.' },
      { author: 'Bob', text: 'Agreed: and nobody prunes them.' },
    ]);
    replyId = comments[1]!.id;
    // B's own view has it confirmed too (not only the optimistic copy).
    await waitInUi(pb, 'the reply confirmed in B', (root, id: string) => {
      const c = root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"]`);
      return c?.dataset.pending === 'false' && c.querySelectorAll('[data-testid="comment"]').length === 2;
    }, id);
    // The panel shows only the author's own comments as editable.
    expect(await pa.evaluate((replyId: string) => !!document.querySelector('gloss-root')!.shadowRoot!.querySelector(`[data-testid="comment"][data-id="${replyId}"] [data-testid="edit-comment"]`), replyId)).toBe(false);
    await screenshot(pa, 'thread-panel-and-topbar.png');
  });

  it('A edits the first comment and B sees the new text', async () => {
    await clickUi(pa, `${conversationCss(id)} [data-testid="comment"][data-id="${id}"] ${byTestId('edit-comment')}`);
    await typeInUi(pa, `${conversationCss(id)} ${byTestId('edit-input')}`, 'Edited: suites only ever grow, and slowly rot.');
    await clickUi(pa, `${conversationCss(id)} ${byTestId('edit-save')}`);
    await waitForUiText(pb, `${conversationCss(id)} [data-testid="comment"][data-id="${id}"] ${byTestId('comment-text')}`, 'Edited: suites only ever grow, and slowly rot.');
    await waitForUiText(pa, `${conversationCss(id)} [data-testid="comment"][data-id="${id}"] ${byTestId('comment-text')}`, 'Edited: suites only ever grow, and slowly rot.');
  });

  it('B deletes its own reply and A sees it go', async () => {
    const reply = `${conversationCss(id)} [data-testid="comment"][data-id="${replyId}"]`;
    await clickUi(pb, `${reply} ${byTestId('delete-comment')}`);
    // It asks first; nothing has gone meanwhile.
    expect(await uiText(pb, `${reply} ${byTestId('delete-comment-question')}`)).toMatch(/^Delete this reply\? This cannot be undone\./);
    await clickUi(pb, `${reply} ${byTestId('delete-comment-confirm')}`);
    await waitInUi(pa, 'the reply removed', (root, id: string) => root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length === 1, id);
    expect((await commentsOf(pa, id)).map((c) => c.author)).toEqual(['Alice']);
  });

  it('A resolves, B sees it resolved; A reopens, B sees it open again', async () => {
    await clickUi(pa, `${conversationCss(id)} ${byTestId('resolve')}`);
    await waitInUi(pb, 'data-resolved="true"', (root, id: string) => root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"]`)?.dataset.resolved === 'true', id);
    await waitForUiText(pb, `${conversationCss(id)} ${byTestId('resolve')}`, 'Reopen');
    await waitInUi(pa, 'data-resolved="true" in A', (root, id: string) => root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"]`)?.dataset.resolved === 'true', id);

    await clickUi(pa, `${conversationCss(id)} ${byTestId('resolve')}`);
    await waitInUi(pb, 'data-resolved="false"', (root, id: string) => root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"]`)?.dataset.resolved === 'false', id);
  });

  it('A deletes the conversation; B loses its highlight and its thread', async () => {
    // Only the author may delete: B is not offered the button.
    expect(await pb.evaluate((id: string) => !!document.querySelector('gloss-root')!.shadowRoot!.querySelector(`[data-testid="conversation"][data-id="${id}"] [data-testid="delete-conversation"]`), id)).toBe(false);
    await clickUi(pa, `${conversationCss(id)} ${byTestId('delete-conversation')}`);
    // It asks first; nothing has gone meanwhile.
    expect(await uiText(pa, `${conversationCss(id)} ${byTestId('delete-confirm')}`)).toMatch(/^Delete this conversation for everyone\?/);
    await clickUi(pa, `${conversationCss(id)} ${byTestId('delete-conversation-confirm')}`);
    await waitForHighlights(pb, 0);
    await waitInUi(pb, 'the thread removed', (root, id: string) => !root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), id);
    await waitForHighlights(pa, 0);
    expect(await uiText(pb, byTestId('error'))).toBeNull();
    expect(await uiText(pa, byTestId('error'))).toBeNull();
  });
});

describe('presence', () => {
  it('the top bar counts viewers: 1, 2 when B opens the page, 1 again when B closes it', async () => {
    const url = pages.url('article.html', 'presence');
    const pa = await openArticle(a, url);
    let pb: Page | undefined;
    try {
      await waitForViewers(pa, 1);
      await waitForUiText(pa, byTestId('connection'), 'live');
      pb = await openArticle(b, url);
      await waitForViewers(pa, 2);
      await waitForViewers(pb, 2);
      await pb.close();
      pb = undefined;
      await waitForViewers(pa, 1);
    } finally {
      await closeAll(pa, pb);
    }
  });

  it('two tabs of A on the same page both update and count as one viewer', async () => {
    const url = pages.url('article.html', 'two-tabs');
    const a1 = await openArticle(a, url);
    // The second tab's address differs only by what the page key drops: the same page.
    const a2 = await openArticle(a, `${url}&utm_source=newsletter&fbclid=abc#section-2`);
    let pb: Page | undefined;
    try {
      await waitForViewers(a1, 1);
      await waitForViewers(a2, 1);
      pb = await openArticle(b, url);
      for (const p of [a1, a2, pb]) await waitForViewers(p, 2);

      const id = await createConversation(pb, '#p-practice', 'a small smoke suite on every commit', 'Which tests are in the smoke suite?');
      await waitForHighlights(a1, 1);
      await waitForHighlights(a2, 1);

      // A answers from its first tab; its second tab follows (the worker relays to every tab of the page).
      await openPanel(a1);
      await openPanel(a2);
      await typeInUi(a1, `${conversationCss(id)} ${byTestId('reply-input')}`, 'The ones that touch checkout.');
      await clickUi(a1, `${conversationCss(id)} ${byTestId('reply-submit')}`);
      for (const p of [a2, pb]) {
        await waitInUi(p, 'the reply from A\'s other tab', (root, id: string) =>
          [...root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment-text"]`)].some((e) => e.textContent === 'The ones that touch checkout.'), id);
      }
      // Each tab shows the conversation once, with the reply once: the echo of A's own reply is not shown again.
      for (const p of [a1, a2, pb]) {
        await waitNothingPending(p);
        expect(await conversationIds(p)).toEqual([id]);
        expect((await commentsOf(p, id)).map((c) => c.text)).toEqual(['Which tests are in the smoke suite?', 'The ones that touch checkout.']);
      }

      // One of A's tabs goes: A is still viewing.
      await a2.close();
      await waitForViewers(pb, 2);
      expect(await uiText(a1, byTestId('viewers'))).toBe('2 viewing');
    } finally {
      await closeAll(a1, a2, pb);
    }
  });
});

describe('the popup', () => {
  /*
   * The popup shows the tab it was opened for: it asks for the active tab of its own window. The
   * real popup (chrome.action.openPopup() from the worker) is opened with the article as the active
   * tab, as when a user clicks the toolbar button while reading it. The same page opened in a tab is
   * itself the active tab, so that form is given the article's tab id explicitly (`?tabId=`, which
   * the popup supports for exactly that).
   */
  it('shows the viewers count and their names for the page\'s tab', async () => {
    const url = pages.url('article.html', 'popup');
    const pa = await openArticle(a, url);
    const pb = await openArticle(b, url);
    let popup: Page | undefined;
    let asTab: Page | undefined;
    try {
      await waitForViewers(pa, 2);
      await createConversation(pa, '#p-closing', 'A flaky test is worse than no test', 'Quarantine them, then fix them.');
      await waitForHighlights(pb, 1);

      popup = await openRealPopup(a, pa);
      expect((await popupViewers(popup, 2)).sort()).toEqual(['Alice', 'Bob']);
      await popup.waitForFunction(() => document.querySelector('[data-testid="popup-connection"]')?.textContent?.trim() === 'live', { timeout: WAIT_MS, polling: POLL_MS });
      await popup.waitForFunction(() => document.querySelector('[data-testid="popup-conversations"]')?.textContent?.trim() === '1 conversation', { timeout: WAIT_MS, polling: POLL_MS });
      await screenshot(popup, 'popup.png');

      const tabId = await tabIdOf(a, pa);
      asTab = await a.newPage(`${a.extensionOrigin}/${POPUP_PATH}?tabId=${tabId}`);
      expect((await popupViewers(asTab, 2)).sort()).toEqual(['Alice', 'Bob']);

      // "Show conversations" opens the panel on the page it is about.
      const panelOpen = await pa.evaluate(() => !!document.querySelector('gloss-root')!.shadowRoot!.querySelector('[data-testid="panel"]'));
      if (panelOpen) await clickUi(pa, byTestId('panel-toggle'));
      await waitInUi(pa, 'the panel closed', (root) => !root.querySelector('[data-testid="panel"]'), null);
      await asTab.bringToFront();
      await asTab.locator('[data-testid="open-panel"]').setTimeout(WAIT_MS).click();
      await waitInUi(pa, 'the panel opened from the popup', (root) => !!root.querySelector('[data-testid="panel"]'), null);
    } finally {
      await closeAll(popup, asTab, pa, pb);
    }
  });
});
