import { randomUUID } from 'node:crypto';
import type { CDPSession } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, request, type TestSocket } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { CHROMIUM, type ChromiumWithGloss } from './support/chromium.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { commentsOf, openPanel, waitForHighlights } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startNetworkLink, type NetworkLink } from './support/network-link.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';
import { waitForConnection } from './support/faults-ui.js';

/**
 * The browser loses its network and gets it back (extension/background/online.ts,
 * `ServerConnection.online()`), in real Chromium with a real network: Chromium runs in a network
 * namespace of its own and the test takes its only link down and up (support/network-link.ts says
 * why DevTools' network emulation cannot stand in for that). Meanwhile Bob, a plain socket.io
 * client, adds a conversation. Once the link is back the worker reconnects at once, not when its
 * backoff's delay runs out, and the tab shows Bob's conversation without a reload.
 *
 * What was found here (Chromium 156): a service worker (and a dedicated worker) gets no `online` or
 * `offline` event at all, not even on this real change of network (`'ononline' in self` is false),
 * while a page gets both; the worker's `navigator.onLine` does follow the network. So in Chromium
 * it is watchOnline's reading of `navigator.onLine` that brings the worker back, which this test
 * covers. Losing the link does not close the open WebSocket either: the worker notices when
 * Socket.IO's ping goes unanswered (10 s interval + 10 s timeout), as with a Wi-Fi that drops.
 *
 * Firefox ESR is not run: puppeteer drives Firefox over WebDriver BiDi, a WebSocket to the
 * browser's loopback, which a Firefox inside the namespace would listen on where the test cannot
 * reach it (puppeteer has no pipe transport for Firefox), and a second link kept up for it would
 * keep Firefox online. test/unit/background/online.test.ts covers the event, which Firefox's
 * background page does get.
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

/** Socket.IO's reconnection delay before attempt `n` (0 first) is 500 ms · 2^n ±50 %, capped at 30 s (connection.ts). */
const minimumDelayMs = (n: number) => Math.min(500 * 2 ** n, 30_000) * 0.5;

it('offline, the worker backs off; back online, it reconnects at once, not after its delay, and the tab shows what a peer did meanwhile', async () => {
  const url = pages!.url('article.html', `online-${randomUUID()}`);
  expect((await request(bob!, 'page:join', { url })).ok).toBe(true);
  const tab = await openArticle(ann!, url);
  await waitForConnection(tab, /^live$/);
  const worker = await ann!.worker();
  const attempts = await watchAttempts((worker as unknown as { client: CDPSession }).client);

  link!.down();
  // The open socket is not closed by the browser: the unanswered ping (up to 20 s) tells the worker.
  await waitForConnection(tab, /^reconnecting$/, 60_000);
  expect(await worker.evaluate(() => navigator.onLine)).toBe(false);
  const chat = { id: randomUUID(), url, target: { selector: [{ type: 'TextQuoteSelector', exact: 'change impact analysis', prefix: '', suffix: '' }] }, text: 'Written while Ann was offline.' };
  expect((await request(bob!, 'text-chat:create', { broadcastId: randomUUID(), chat })).ok).toBe(true);

  // Six failed attempts: the backoff's next one is then at least 16 s away.
  const FAILURES = 6;
  const failed = () => [...attempts.values()].filter((a) => a.failedAt !== undefined);
  await waitFor(`${FAILURES} failed reconnection attempts`, () => failed().length >= FAILURES, 120_000, 20);
  link!.up();
  const offline = failed();
  expect(offline).toHaveLength(FAILURES);
  // Not hammered while offline: every wait between attempts is at least the backoff's, growing (the
  // online watcher does not restart the backoff while the browser stays offline).
  for (let i = 1; i < FAILURES; i++) {
    expect((offline[i]!.failedAt! - offline[i - 1]!.failedAt!) * 1000).toBeGreaterThanOrEqual(minimumDelayMs(i));
  }

  await waitForConnection(tab, /^live$/, 90_000);
  const after = [...attempts.values()].slice(FAILURES);
  // The first attempt after the link came back connected, and it started before the backoff could
  // have made one: it is the online signal's.
  expect(after[0]?.connected).toBe(true);
  const lastFailure = offline[FAILURES - 1]!.failedAt!;
  expect((after[0]!.handshakeAt! - lastFailure) * 1000).toBeLessThan(minimumDelayMs(FAILURES));

  // Resynced: Bob's conversation, made while Ann was offline, is in the page without a reload.
  await waitForHighlights(tab, 1);
  await openPanel(tab);
  expect(await commentsOf(tab, chat.id)).toEqual([{ id: chat.id, author: 'Bob', text: chat.text }]);
});
