import { randomUUID } from 'node:crypto';
import type { CDPSession } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, recorder, request, type TestSocket } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { CHROMIUM, type ChromiumWithGloss } from './support/chromium.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { RECONNECT } from '../../extension/background/connection.js';
import { commentsOf, openPanel, waitForHighlights } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startNetworkLink, type NetworkLink } from './support/network-link.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';
import { createUnconfirmed, RECOVER_MS, shown, waitForConnection, waitForShown } from './support/faults-ui.js';
import { openRealPopup, popupBadge } from './support/popup.js';

/**
 * The browser loses its network and gets it back (extension/background/online.ts,
 * `ServerConnection.offline()` and `online()`), in real Chromium with a real network: Chromium runs
 * in a network namespace of its own and the test takes its only link down and up
 * (support/network-link.ts says why DevTools' network emulation cannot stand in for that). As the
 * link goes, the tab's bar and the popup read `offline` within seconds, and the worker only probes,
 * slowly. Meanwhile Ann writes a comment, which waits as pending, and Bob, a plain socket.io client,
 * adds a conversation. Once the link is back the worker reconnects at once, not when a delay runs
 * out; Bob gets Ann's comment exactly once and the tab shows Bob's conversation without a reload.
 *
 * What was found here (Chromium 156): a service worker (and a dedicated worker) gets no `online` or
 * `offline` event at all, not even on this real change of network (`'ononline' in self` is false),
 * while a page gets both; the worker's `navigator.onLine` does follow the network. So in Chromium
 * it is watchOnline's reading of `navigator.onLine` that brings the worker back, which this test
 * covers. Losing the link does not close the open WebSocket either: left to itself, the worker
 * noticed only when Socket.IO's ping went unanswered (10 s interval + 10 s timeout, 17-20 s seen),
 * as with a Wi-Fi that drops, and meanwhile the bar read `live` and a change looked sent; now the
 * worker drops the socket when `navigator.onLine` turns false.
 *
 * Firefox ESR has its own test, network-firefox.test.ts (support/firefox-network.ts says how the
 * test still drives a Firefox inside the namespace); its background page does get both events.
 *
 * The worker's WebSocket attempts are read from its DevTools target (Network domain), with the
 * browser's own timestamps.
 */

let link: NetworkLink | undefined;
let server: ServerProcess | undefined;
let pages: StaticServer | undefined;
let ann: ChromiumWithGloss | undefined;
let bob: TestSocket | undefined;
printLogsOnFailure(() => [ann]);

beforeAll(async () => {
  link = startNetworkLink(CHROMIUM);
  server = await startServerProcess({ env: { HOST: link.hostAddress } });
  pages = await startStaticServer(link.hostAddress);
  // `localhost` is the only plain-http server the settings accept; inside the namespace it maps to the link.
  ann = (await glossBrowser(
    'chromium',
    'ann',
    { serverUrl: `http://localhost:${server.port}`, name: 'Ann' },
    { chromium: { executablePath: link.chromium, args: link.chromiumArgs } },
  )) as ChromiumWithGloss;
  bob = (await connect(`http://${link.hostAddress}:${server.port}`, { name: 'Bob' })).socket;
});

afterAll(async () => {
  bob?.close();
  await closeAll(ann, pages);
  await server?.stop();
  link?.close();
});

interface Attempt {
  /** In the browser's monotonic clock, seconds. */
  failedAt?: number;
  handshakeAt?: number;
  connected: boolean;
}

/** Every WebSocket the worker opens from now on, in order. */
async function watchAttempts(session: CDPSession): Promise<Map<string, Attempt>> {
  const attempts = new Map<string, Attempt>();
  const of = (id: string) => attempts.get(id) ?? attempts.set(id, { connected: false }).get(id)!;
  session.on('Network.webSocketCreated', (e) => void of(e.requestId));
  session.on('Network.webSocketWillSendHandshakeRequest', (e) => void (of(e.requestId).handshakeAt = e.timestamp));
  session.on('Network.webSocketHandshakeResponseReceived', (e) => void (of(e.requestId).connected = e.response.status === 101));
  session.on('Network.webSocketFrameError', (e) => {
    const a = attempts.get(e.requestId);
    if (a && !a.connected && a.failedAt === undefined) a.failedAt = e.timestamp;
  });
  await session.send('Network.enable');
  return attempts;
}

/** The worker's probe while offline waits at least this long between attempts (connection.ts). */
const PROBE_MIN_MS = RECONNECT.offlineProbe * (1 - RECONNECT.jitter);
/** The tab must read `offline` before the ping could have told the worker, 10-20 s after the link went. */
const OFFLINE_SHOWN_MS = 8_000;

it('offline: the bar and the popup say so within seconds, the worker only probes, a comment written meanwhile waits; back online, it reconnects at once, Bob gets the comment once and the tab shows what Bob did', async () => {
  const url = pages!.url('article.html', `online-${randomUUID()}`);
  const heard = recorder(bob!);
  expect((await request(bob!, 'page:join', { url })).ok).toBe(true);
  const tab = await openArticle(ann!, url);
  await waitForConnection(tab, /^live$/);
  const worker = await ann!.worker();
  const attempts = await watchAttempts((worker as unknown as { client: CDPSession }).client);

  link!.down();
  // Not when the unanswered ping tells (10-20 s): the worker reads navigator.onLine every second.
  await waitForConnection(tab, /^offline$/, OFFLINE_SHOWN_MS);
  expect(await worker.evaluate(() => navigator.onLine)).toBe(false);
  const popup = await openRealPopup(ann!, tab);
  expect(await popupBadge(popup, 'offline')).toBe('This browser has no network connection. What you write is kept and sent once it is back.');
  await popup.close().catch(() => {});

  // Ann's comment, written offline, is kept and shown as not sent yet.
  const mine = await createUnconfirmed(tab, '#p-selection', 'coverage data is accurate', 'Written by Ann while offline.');
  expect((await shown(tab)).find((c) => c.id === mine)?.pending).toBe(true);
  const chat = { id: randomUUID(), url, target: { selector: [{ type: 'TextQuoteSelector', exact: 'change impact analysis', prefix: '', suffix: '' }] }, text: 'Written while Ann was offline.' };
  expect((await request(bob!, 'text-chat:create', { broadcastId: randomUUID(), chat })).ok).toBe(true);
  // Two failed attempts: the probe's first, when the network went, and its next, 15-45 s later
  // (the backoff would have made five in that time). Its next one is then at least 15 s away.
  const failed = () => [...attempts.values()].filter((a) => a.failedAt !== undefined);
  await waitFor('two failed attempts while offline', () => failed().length >= 2, 90_000, 20);
  expect(await waitForConnection(tab, /./)).toBe('offline');
  link!.up();
  const offline = failed();
  expect(offline).toHaveLength(2);
  expect((offline[1]!.failedAt! - offline[0]!.failedAt!) * 1000).toBeGreaterThanOrEqual(PROBE_MIN_MS);

  await waitForConnection(tab, /^live$/, 90_000);
  const after = [...attempts.values()].slice(offline.length);
  // The first attempt after the link came back connected, and it started before the probe could
  // have made one: it is the online signal's.
  expect(after[0]?.connected).toBe(true);
  expect((after[0]!.handshakeAt! - offline[1]!.failedAt!) * 1000).toBeLessThan(PROBE_MIN_MS);

  // Sent once reconnected, exactly once, as Ann's.
  await waitForShown(tab, [{ id: mine, revision: 1 }, { id: chat.id, revision: 1 }], RECOVER_MS);
  await heard.until((all) => all.some((e) => e.event === 'new-text-chat' && e.payload.id === mine), 10_000, "Ann's comment");
  const annsComment = heard.of('new-text-chat').filter((p) => p.id === mine);
  expect(annsComment.map((p) => [(p.chat as { text: string }).text, (p.chat as { author: { name: string } }).author.name])).toEqual([['Written by Ann while offline.', 'Ann']]);
  const onServer = (await request(bob!, 'page:join', { url })) as unknown as { conversations: { id: string; comments: unknown[] }[] };
  expect(onServer.conversations.map((c) => [c.id, c.comments.length]).sort()).toEqual([[mine, 1], [chat.id, 1]].sort());

  // Resynced: Bob's conversation, made while Ann was offline, is in the page without a reload.
  await waitForHighlights(tab, 2);
  await openPanel(tab);
  expect(await commentsOf(tab, chat.id)).toEqual([{ id: chat.id, author: 'Bob', text: chat.text }]);
});
