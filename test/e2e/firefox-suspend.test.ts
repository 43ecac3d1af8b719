import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { normalizePageUrl } from '../../protocol/url.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, recorder, request, type TestSocket } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { FirefoxWithGloss } from './support/firefox.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, commentsOf, conversationCss, createConversation, inUi, openPanel, POLL_MS, selectText, typeInUi, WAIT_MS, waitForHighlights, waitForUiText, waitForViewers, waitInUi } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';

/**
 * Firefox runs the MV3 background as an event page and suspends it when idle, open WebSocket and
 * open ports notwithstanding (measured: every 30 s): its socket closes, the tabs' ports drop, and
 * the page must bring it back. The idle timeout is lowered by pref (`extensions.background.idle.timeout`)
 * so the suspensions come every few seconds. The other user is a plain socket.io client (Bob), so
 * every other socket the server sees is Firefox's, and its log tells each suspension.
 */
const IDLE_MS = 4_000;

let server: ServerProcess;
let pages: StaticServer;
let f: FirefoxWithGloss;
let bob: TestSocket | undefined;
let pf: Page | undefined;
/** Bob's conversation, which Fiona answers. */
let bobsId: string;

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  f = (await glossBrowser('firefox', 'F', { serverUrl: server.url, name: 'Fiona' }, { firefoxPrefs: { 'extensions.background.idle.timeout': IDLE_MS } })) as FirefoxWithGloss;
});

afterAll(async () => {
  bob?.close();
  await closeAll(pf, f, pages);
  await server?.stop();
});

printLogsOnFailure(() => [f]);

/** The server's connection log for every socket but Bob's: Firefox's background, one socket per life. */
function firefoxSockets(): { connected: string[]; disconnected: string[] } {
  const connected: string[] = [];
  const disconnected: string[] = [];
  for (const line of server.logs) {
    let entry: { event?: string; socket?: string };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      continue;
    }
    if (!entry.socket || entry.socket === bob?.id) continue;
    if (entry.event === 'connected') connected.push(entry.socket);
    if (entry.event === 'disconnected') disconnected.push(entry.socket);
  }
  return { connected, disconnected };
}

/** The server's connections and disconnections with their times, to read a failure by. */
function connectionTimeline(): string {
  return server.logs
    .filter((line) => /"event":"(dis)?connected"/.test(line))
    .map((line) => {
      const e = JSON.parse(line) as { time: string; event: string; socket: string; reason?: string };
      return `${e.time} ${e.event} ${e.socket === bob?.id ? 'Bob' : e.socket}${e.reason ? ` (${e.reason})` : ''}`;
    })
    .join('\n');
}

/** Waits until Firefox's background has been through `n` lives (n - 1 suspensions, each followed by a new socket). */
async function waitForBackgroundLives(n: number): Promise<void> {
  await waitFor(
    `Firefox's background to be suspended and come back (${n} sockets in the server log)`,
    () => {
      const { connected, disconnected } = firefoxSockets();
      return connected.length >= n && connected.slice(0, n - 1).every((s) => disconnected.includes(s));
    },
    60_000,
  );
}

it('after Firefox suspends the idle background, the tab reconnects and changes flow both ways', async () => {
  const url = pages.url('article.html', 'firefox-suspend');
  pf = await openArticle(f, url);
  // Fiona's tab has joined before Bob does: every count Bob then hears must be 2. (Joining first,
  // Bob heard a legitimate 1 whenever the page was slower to join than him.)
  await waitForViewers(pf, 1);
  const peer = await connect(server.url, { name: 'Bob' });
  bob = peer.socket;
  const heard = recorder(bob);
  const join = await request(bob, 'page:join', { url });
  expect(join.ok).toBe(true);
  await waitForViewers(pf, 2);
  const start = firefoxSockets().connected.length;

  // A suspension, then a new background, a new socket, the page joined again.
  await waitForBackgroundLives(start + 1);
  await waitForUiText(pf, byTestId('connection'), 'live');
  await waitForViewers(pf, 2);

  // Bob's change reaches the tab through the background's new life.
  const id = (bobsId = randomUUID());
  const created = await request(bob, 'text-chat:create', {
    broadcastId: randomUUID(),
    chat: {
      id,
      url,
      target: { selector: [{ type: 'TextQuoteSelector', exact: 'change impact analysis', prefix: 'Sometimes a ', suffix: ' is performed' }] },
      text: 'Sent from a plain socket.io client.',
    },
  });
  expect(created.ok).toBe(true);
  await waitForHighlights(pf, 1);
  await openPanel(pf);
  await waitInUi(pf, 'Bob\'s conversation', (root, id: string) => !!root.querySelector(`[data-testid="conversation"][data-id="${id}"]`), id);
  expect(await commentsOf(pf, id)).toEqual([{ id, author: 'Bob', text: 'Sent from a plain socket.io client.' }]);

  // Another suspension; then Fiona answers, and the answer reaches Bob.
  await waitForBackgroundLives(start + 2);
  await typeInUi(pf, `${conversationCss(id)} ${byTestId('reply-input')}`, 'Answered after a suspension.');
  await clickUi(pf, `${conversationCss(id)} ${byTestId('reply-submit')}`);
  await heard.until(
    (events) =>
      events.some((e) => e.event === 'updated-text-chat' && e.payload.id === id && (e.payload.addComment as { text?: string } | undefined)?.text === 'Answered after a suspension.'),
    30_000,
    'Fiona\'s reply at Bob',
  );
  const update = heard.of('updated-text-chat').find((p) => p.id === id)!;
  expect((update.by as { name: string }).name).toBe('Fiona');
  // Two suspensions, and Bob's count of viewers never blinked: the server keeps a dropped user
  // counted for a grace period, and Firefox's background is back well within it.
  const counts = heard.of('presence').map((p) => p.viewers);
  expect(counts.length).toBeGreaterThan(0);
  expect(counts, `viewer counts Bob heard, and the server's connection log:\n${connectionTimeline()}`).toEqual(counts.map(() => 2));
  await waitInUi(pf, 'the reply confirmed in Firefox', (root, id: string) => root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"]`)?.dataset.pending === 'false', id);
});

/** The value of a textarea of our UI (null when it is not there). */
function fieldValue(page: Page, css: string): Promise<string | null> {
  return page.evaluate((css: string) => document.querySelector('gloss-root')?.shadowRoot?.querySelector<HTMLTextAreaElement>(css)?.value ?? null, css);
}

it('what Fiona is writing survives a suspension, and a reply sent as the background goes down arrives once', async () => {
  const page = pf!;
  const heard = recorder(bob!);
  const replyCss = `${conversationCss(bobsId)} ${byTestId('reply-input')}`;
  const composerCss = `${byTestId('composer')} textarea`;
  await typeInUi(page, replyCss, 'A reply typed before a suspension.');
  await selectText(page, '#p-selection', 'cheaper than retesting everything');
  await clickUi(page, byTestId('annotate-button'));
  await typeInUi(page, composerCss, 'A comment typed before a suspension.');

  // A whole suspension and return while both are open and unsent.
  await waitForBackgroundLives(firefoxSockets().connected.length + 1);
  await waitForUiText(page, byTestId('connection'), 'live');
  await waitForViewers(page, 2);
  expect(await fieldValue(page, replyCss)).toBe('A reply typed before a suspension.');
  expect(await fieldValue(page, composerCss)).toBe('A comment typed before a suspension.');
  await clickUi(page, byTestId('composer-submit'));
  await heard.until(
    (events) => events.some((e) => e.event === 'new-text-chat' && (e.payload.chat as { text: string }).text === 'A comment typed before a suspension.'),
    WAIT_MS,
    'Fiona\'s comment at Bob',
  );

  // The reply is sent the moment the tab sees its port drop (the background being suspended): by
  // the keyboard, as soon as the top bar reads "reconnecting", so it is posted while no background
  // is there to take it.
  const field = await page.locator(inUi(replyCss)).setTimeout(WAIT_MS).waitHandle();
  await field.focus();
  await page.waitForFunction(() => document.querySelector('gloss-root')?.shadowRoot?.querySelector('[data-testid="connection"]')?.textContent?.trim() === 'reconnecting', {
    timeout: 60_000,
    polling: POLL_MS,
  });
  await page.keyboard.down('Control');
  await page.keyboard.press('Enter');
  await page.keyboard.up('Control');
  await heard.until(
    (events) => events.some((e) => e.event === 'updated-text-chat' && e.payload.id === bobsId && (e.payload.addComment as { text?: string } | undefined)?.text === 'A reply typed before a suspension.'),
    WAIT_MS,
    'Fiona\'s reply at Bob',
  );
  await waitForUiText(page, byTestId('connection'), 'live');
  await waitInUi(page, 'the reply confirmed, once', (root, id: string) => {
    const c = root.querySelector<HTMLElement>(`[data-testid="conversation"][data-id="${id}"]`);
    const texts = [...(c?.querySelectorAll('[data-testid="comment-text"]') ?? [])].map((e) => e.textContent);
    return c?.dataset.pending === 'false' && texts.filter((t) => t === 'A reply typed before a suspension.').length === 1;
  }, bobsId);
  // Once in the server's change log, once in the tab, and the count came back right.
  const log = await request(bob!, 'page:sync', { url: page.url(), sinceSeq: 0 });
  if (!log.ok || !('changes' in log)) throw new Error(`page:sync answered ${JSON.stringify(log)}`);
  const replies = log.changes.filter((c) => c.type === 'updated-text-chat' && 'addComment' in c && c.addComment.text === 'A reply typed before a suspension.');
  expect(replies).toHaveLength(1);
  expect((await commentsOf(page, bobsId)).map((c) => c.text)).toEqual(['Sent from a plain socket.io client.', 'Answered after a suspension.', 'A reply typed before a suspension.']);
  await waitForViewers(page, 2);
});

it('a tab that moved with history.pushState comes back from a suspension on the page it moved to', async () => {
  const page = pf!;
  const heard = recorder(bob!);
  const before = page.url();
  const after = `${before}&view=moved`;
  expect((await request(bob!, 'page:join', { url: after })).ok).toBe(true);
  const countsFor = (url: string) => heard.of('presence').filter((p) => p.pageKey === normalizePageUrl(url)).map((p) => p.viewers);
  await page.evaluate((after: string) => history.pushState(null, '', after), after);
  await heard.until(() => countsFor(before).includes(1) && countsFor(after).includes(2), WAIT_MS, 'the tab moving to the new address');

  // The reconnect after a suspension opens a new port: it must name the address the tab shows now.
  const mark = heard.events.length;
  await waitForBackgroundLives(firefoxSockets().connected.length + 1);
  await waitForUiText(page, byTestId('connection'), 'live');
  await waitForViewers(page, 2);
  // A change the tab makes after coming back lands on the new page, and the old one never counts the tab again.
  const id = await createConversation(page, '#p-practice', 'smoke suite', 'After a suspension, on the moved page.');
  await heard.until((events) => events.some((e) => e.event === 'new-text-chat' && e.payload.id === id && e.payload.pageKey === normalizePageUrl(after)), WAIT_MS, 'the new conversation on the moved page');
  expect(heard.events.slice(mark).filter((e) => e.event === 'presence' && e.payload.pageKey === normalizePageUrl(before)).map((e) => e.payload.viewers)).not.toContain(2);
});
