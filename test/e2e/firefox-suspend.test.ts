import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, recorder, request, type TestSocket } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { FirefoxWithGloss } from './support/firefox.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { byTestId, clickUi, commentsOf, conversationCss, openPanel, typeInUi, waitForHighlights, waitForUiText, waitForViewers, waitInUi } from './support/gloss-ui.js';
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
  const id = randomUUID();
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
