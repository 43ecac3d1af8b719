import type { Page } from 'puppeteer';
import { afterAll, expect, it } from 'vitest';
import type { ChromiumWithGloss } from './support/chromium.js';
import type { FirefoxWithGloss } from './support/firefox.js';
import { closeAll, openArticle } from './support/gloss-browser.js';
import {
  byTestId,
  clickUi,
  commentsOf,
  conversationCss,
  createConversation,
  openPanel,
  typeInUi,
  uiText,
  waitForHighlights,
  waitForUiText,
  waitForViewers,
  waitInUi,
} from './support/gloss-ui.js';
import { recordAnnouncements } from './support/announcements.js';
import type { StaticServer } from './support/static-server.js';
import { ALICE_AND_BOB, useGlossSession } from './support/session.js';

/**
 * Undo of a deletion on the real server, through the real UI: the one who deletes (Alice in Chromium,
 * then Fiona in Firefox ESR) sees the conversation go and clicks Undo; Bob, watching in Chromium,
 * sees it go and come back, replies and all.
 */
let pages: StaticServer;
let a: ChromiumWithGloss;
let b: ChromiumWithGloss;
let f: FirefoxWithGloss;

useGlossSession([...ALICE_AND_BOB, { kind: 'firefox', label: 'F', name: 'Fiona' }], (s) => {
  ({ pages } = s);
  [a, b, f] = s.browsers as [ChromiumWithGloss, ChromiumWithGloss, FirefoxWithGloss];
});

const tabs: Page[] = [];
afterAll(async () => {
  await closeAll(...tabs);
});

/** The deleter's and Bob's tabs on a page of their own, both counted as viewing it. */
async function pair(deleter: ChromiumWithGloss | FirefoxWithGloss, page: string): Promise<[Page, Page]> {
  const url = pages.url('article.html', page);
  const pa = await openArticle(deleter, url);
  const pb = await openArticle(b, url);
  tabs.push(pa, pb);
  await waitForViewers(pa, 2);
  await waitForViewers(pb, 2);
  return [pa, pb];
}

// Predicates run in the page (serialized): each stands alone.
const present = (root: ShadowRoot, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`);
const absent = (root: ShadowRoot, id: string) => !root.querySelector(`[data-testid="conversation"][data-id="${id}"]`);

for (const [who, deleter] of [['Chromium', () => a], ['Firefox', () => f]] as const) it(`${who}: A deletes a conversation B replied to, B sees it go; A presses Undo and both see it back, with the reply, and A's focus on its card`, async () => {
  const [pa, pb] = await pair(deleter(), `undo-delete-${who}`);
  const id = await createConversation(pa, '#p-definition', 'Regression testing is re-running functional and non-functional tests', 'Undo me if I am deleted by mistake.');
  await openPanel(pb);
  await waitInUi(pb, 'the conversation in B', present, id);
  await typeInUi(pb, `${conversationCss(id)} ${byTestId('reply-input')}`, 'A reply that must survive the undo.');
  await clickUi(pb, `${conversationCss(id)} ${byTestId('reply-submit')}`);
  await waitInUi(pa, "B's reply in A", (root, id: string) => root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length === 2, id);
  const before = await commentsOf(pa, id);

  // What A's screen reader is told, in order: the status is set a frame after what it tells, and a
  // viewer count that settled may replace it before a test reads it (ui/Announcer.tsx).
  const told = await recordAnnouncements(pa);
  await clickUi(pa, `${conversationCss(id)} ${byTestId('delete-conversation')}`);
  await clickUi(pa, `${conversationCss(id)} ${byTestId('delete-conversation-confirm')}`);
  await waitInUi(pa, 'the conversation gone in A', absent, id);
  // The offer, in A's panel, and what A's screen reader was told.
  expect(await waitForUiText(pa, byTestId('undo-notice'), /^Conversation deleted/)).toMatch(/Undo/);
  // Focus (ui/Panel.tsx): the card went with the Delete button that had it, and focus is on the
  // panel's heading, right above the notice, not on the page.
  await waitInUi(pa, 'focus on the panel heading after the deletion', (root) => root.activeElement?.tagName === 'H2' && root.activeElement.textContent === 'Conversations', null);
  // A keyboard user goes on to Undo: Tab from the heading reaches it first (not a "×": the panel's
  // close comes before the heading, the notice's after Undo). The notice's time (10 s) waits while
  // focus is on it (ui/UndoNotice.tsx): B's browser, checked next, may take longer than that on a loaded machine.
  await pa.keyboard.press('Tab');
  expect(await pa.evaluate(() => document.querySelector('gloss-root')!.shadowRoot!.activeElement?.getAttribute('data-testid') ?? null), 'Tab from the heading').toBe('undo-delete');
  expect(await told(/^Conversation deleted/)).toMatch(/^Conversation deleted\. Undo is offered/);
  await waitInUi(pb, 'the conversation gone in B', absent, id);
  await waitForHighlights(pb, 0);
  expect(await uiText(pb, byTestId('undo-notice')), 'only the one who deleted is offered it').toBeNull();
  expect(await uiText(pa, byTestId('undo-notice')), 'focus on Undo held the notice').toMatch(/Undo/);

  // Undo with the keyboard: focus goes on to the card once it is back, in the list's view, and the status says so.
  await pa.keyboard.press('Enter');
  await waitInUi(
    pa,
    'focus on the restored card, in view',
    (root, id: string) => {
      const el = root.activeElement as HTMLElement | null;
      const list = root.querySelector('.list');
      if (el?.dataset.testid !== 'conversation' || el.dataset.id !== id || !list) return false;
      const r = el.getBoundingClientRect();
      const l = list.getBoundingClientRect();
      return r.top >= l.top - 1 && r.top < l.bottom;
    },
    id,
  );
  await told(/^Conversation restored/);
  // A sees it again at once, then confirmed; B sees it come back live, with the reply.
  await waitInUi(pa, 'the conversation back in A', (root, id: string) => root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"]`)?.dataset.pending === 'false', id);
  await waitInUi(pb, 'the conversation back in B', present, id);
  await waitForHighlights(pb, 1);
  await waitForHighlights(pa, 1);
  expect(await commentsOf(pb, id)).toEqual(before);
  expect(await commentsOf(pa, id)).toEqual(before);
  expect(await uiText(pa, byTestId('undo-notice'))).toBeNull();
  expect(await uiText(pa, byTestId('error'))).toBeNull();
  expect(await uiText(pb, byTestId('error'))).toBeNull();

  // Live again for real: B replies to it and A sees that too.
  await typeInUi(pb, `${conversationCss(id)} ${byTestId('reply-input')}`, 'And after the undo.');
  await clickUi(pb, `${conversationCss(id)} ${byTestId('reply-submit')}`);
  await waitInUi(pa, 'the reply after the undo in A', (root, id: string) => root.querySelectorAll(`[data-testid="conversation"][data-id="${id}"] [data-testid="comment"]`).length === 3, id);
});

it('Chromium: Undo on the notice under the bar (the panel closed) brings the conversation back without making it the open one: its highlight is not the active orange', async () => {
  const pa = await openArticle(a, pages.url('article.html', 'undo-delete-closed-panel'));
  tabs.push(pa);
  await waitForViewers(pa, 1);
  const id = await createConversation(pa, '#p-definition', 'Regression testing is re-running functional and non-functional tests', 'Undo me with the panel closed.');
  await clickUi(pa, `${conversationCss(id)} ${byTestId('delete-conversation')}`);
  await clickUi(pa, `${conversationCss(id)} ${byTestId('delete-conversation-confirm')}`);
  await waitInUi(pa, 'the conversation gone', absent, id);
  await waitForHighlights(pa, 0);
  await clickUi(pa, byTestId('panel-toggle'));
  await waitInUi(pa, 'the panel closed, the notice under the bar', (root) => !root.querySelector('[data-testid="panel"]') && !!root.querySelector('[data-testid="undo-notice"].floating'), null);

  await clickUi(pa, byTestId('undo-delete'));
  // The render that paints it again (from the worker's copy) is the one that settles the restore.
  await waitForHighlights(pa, 1);
  const marks = () => pa.evaluate(() => {
    const registry = (CSS as unknown as { highlights: Map<string, Set<Range>> }).highlights;
    return { marked: registry.get('gloss')?.size ?? 0, active: registry.get('gloss-active')?.size ?? 0 };
  });
  expect(await marks(), 'marked, not active').toEqual({ marked: 1, active: 0 });
  // Opened from the bar later, the panel shows it as any other, not as the open one.
  await openPanel(pa);
  await waitInUi(pa, 'the conversation back in the panel', present, id);
  expect(await pa.evaluate((id: string) => [...document.querySelector('gloss-root')!.shadowRoot!.querySelectorAll<HTMLElement>('[data-testid="conversation"]')].find((c) => c.dataset.id === id)!.classList.contains('active'), id)).toBe(false);
  expect(await marks()).toEqual({ marked: 1, active: 0 });
});
