import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, request, type TestSocket } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { CHROMIUM } from './support/chromium.js';
import type { FirefoxWithGloss } from './support/firefox.js';
import { firefoxBehindLink, type FirefoxBehindLink } from './support/firefox-network.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { RECONNECT } from '../../extension/background/connection.js';
import { byTestId, commentsOf, openPanel, waitForHighlights, WAIT_MS } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { startNetworkLink, type NetworkLink } from './support/network-link.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { waitFor } from './support/wait.js';
import { shown, waitForConnection, waitForShown } from './support/faults-ui.js';

/**
 * Firefox ESR loses its network for real and gets it back, while Bob (a plain socket.io client)
 * creates, edits and deletes conversations on the page it shows: once the link is back, the tab
 * shows all three without a reload, and meanwhile its bar said it was offline.
 *
 * As network-online.test.ts does for Chromium, Firefox runs in a network namespace whose only link
 * the test takes down and up (support/network-link.ts); support/firefox-network.ts says how the
 * test still drives it there over BiDi. Firefox differs from Chromium in what this covers: the
 * extension's background is an event page, not a service worker, and it does get the `offline`
 * and `online` events (online.ts), which Chromium's worker never does.
 *
 * What was found here (Firefox ESR 153): puppeteer's Firefox profile sets
 * `network.manage-offline-status` to false ("do not switch between offline and online"), so
 * Firefox's `navigator.onLine` never follows the network and no event comes: the bar then read
 * `reconnecting` only when the unanswered ping told (11 s) and `offline` 30 s after the link went,
 * when the idle background was suspended and its next life read the flag. A user's Firefox has the
 * pref on, so the test sets it back. And Firefox counts itself online only with a route out of the
 * machine (network-link.ts gives the namespace one). With both, the background page got `offline`
 * about 1 s after the link went, and `online` about 1 s after it came back.
 *
 * The second case is Firefox's own: its background is suspended when idle (every 30 s, open
 * WebSocket and ports notwithstanding; lowered here to 4 s by pref as in firefox-suspend.test.ts),
 * so while the network is gone it goes and comes back, each new life reading `navigator.onLine`
 * false at start and its page from IndexedDB; the life that sees the network return must still
 * rejoin from the cached seq. Each life's first probe is seen at the bridge: one life probes at
 * most once per 15 s, so more attempts than that while offline are new lives.
 */

/** The bar must read `offline` well before Socket.IO's unanswered ping could tell (11-20 s). */
const OFFLINE_SHOWN_MS = 8_000;
/** Once the link is back the `online` event reconnects at once: the offline probe's next try is at least this far off. */
const PROBE_MIN_MS = RECONNECT.offlineProbe * (1 - RECONNECT.jitter);
/** Firefox's idle timeout for the background in the second case. */
const IDLE_MS = 4_000;

interface Setup {
  link: NetworkLink;
  bridge: FirefoxBehindLink;
  server: ServerProcess;
  pages: StaticServer;
  fiona: FirefoxWithGloss;
  bob: TestSocket;
}

/** One Firefox (Fiona) behind a link of its own, its server and pages on the test's side, and Bob, for the tests of one `describe`. */
function firefoxBehindItsLink(prefs: Record<string, unknown> = {}): () => Setup {
  const s: Partial<Setup> = {};
  printLogsOnFailure(() => [s.fiona]);
  beforeAll(async () => {
    s.link = startNetworkLink(CHROMIUM);
    s.server = await startServerProcess({ env: { HOST: s.link.hostAddress } });
    s.pages = await startStaticServer(s.link.hostAddress);
    s.bridge = await firefoxBehindLink(s.link, [s.server.port]);
    s.fiona = (await glossBrowser('firefox', 'fiona', { serverUrl: `http://localhost:${s.server.port}`, name: 'Fiona' }, {
      firefox: s.bridge.launch,
      // Puppeteer's profile turns it off ("do not switch between offline and online"); a user's Firefox has it on.
      firefoxPrefs: { 'network.manage-offline-status': true, ...prefs },
    })) as FirefoxWithGloss;
    s.bob = (await connect(`http://${s.link.hostAddress}:${s.server.port}`, { name: 'Bob' })).socket;
  });
  afterAll(async () => {
    s.bob?.close();
    await closeAll(s.fiona, s.pages);
    s.bridge?.close();
    await s.server?.stop();
    s.link?.close();
  });
  return () => s as Setup;
}

const quote = (exact: string) => ({ selector: [{ type: 'TextQuoteSelector', exact, prefix: '', suffix: '' }] });

/** Starts recording what the tab's bar reads, each change once with the ms since, from the page itself (every 50 ms). */
async function recordBar(tab: Page): Promise<() => Promise<{ text: string; at: number }[]>> {
  await tab.evaluate((css: string) => {
    const w = window as unknown as { barReads: { text: string; at: number }[] };
    w.barReads = [];
    const from = performance.now();
    setInterval(() => {
      const text = document.querySelector('gloss-root')?.shadowRoot?.querySelector(css)?.textContent?.trim() ?? '';
      if (w.barReads.at(-1)?.text !== text) w.barReads.push({ text, at: Math.round(performance.now() - from) });
    }, 50);
  }, byTestId('connection'));
  return () => tab.evaluate(() => (window as unknown as { barReads: { text: string; at: number }[] }).barReads);
}

/**
 * The link goes down; Bob creates one conversation, replies to another and deletes a third;
 * `whileOffline` runs before and after Bob's changes; the link comes back. Returns the socket
 * attempts Firefox made while the link was down and the bar's reads.
 */
async function bobChangesWhileFionaIsOffline(setup: Setup, whileOffline: () => Promise<void>): Promise<{ attempts: number; offlineMs: number; reads: string[]; timeline: string }> {
  const { link, bridge, pages, fiona, bob } = setup;
  const url = pages.url('article.html', `firefox-online-${randomUUID()}`);
  const kept = { id: randomUUID(), url, target: quote('change impact analysis'), text: 'Bob: this one gets a reply while Fiona is offline.' };
  const doomed = { id: randomUUID(), url, target: quote('retest everything'), text: 'Bob: this one goes while Fiona is offline.' };
  for (const chat of [kept, doomed]) expect((await request(bob, 'text-chat:create', { broadcastId: randomUUID(), chat })).ok).toBe(true);

  const tab = await openArticle(fiona, url);
  await waitForConnection(tab, /^live$/);
  await openPanel(tab);
  await waitForShown(tab, [{ id: kept.id, revision: 1 }, { id: doomed.id, revision: 1 }], WAIT_MS);
  // Gone if the tab is reloaded: the changes must come into the page as it is.
  await tab.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
  const barReads = await recordBar(tab);

  link.down();
  const cut = Date.now();
  const attemptsBefore = bridge.attempts();
  // Firefox's background page gets the `offline` event (about 1 s after the link went, measured).
  await waitForConnection(tab, /^offline$/, OFFLINE_SHOWN_MS);
  expect(await tab.evaluate(() => navigator.onLine)).toBe(false);
  await whileOffline();

  const fresh = { id: randomUUID(), url, target: quote('smoke suite'), text: 'Bob: new while Fiona is offline.' };
  const reply = { id: randomUUID(), text: 'Bob: a reply while Fiona is offline.' };
  expect((await request(bob, 'text-chat:create', { broadcastId: randomUUID(), chat: fresh })).ok).toBe(true);
  expect((await request(bob, 'text-chat:update', { broadcastId: randomUUID(), id: kept.id, changes: { addComment: reply } })).ok).toBe(true);
  expect((await request(bob, 'text-chat:delete', { broadcastId: randomUUID(), id: doomed.id })).ok).toBe(true);
  await whileOffline();
  // The server may still count Fiona's old socket as connected (until its ping goes unanswered)
  // and send it all three; none of it gets through the cut link, and the tab still says offline.
  const before = [kept.id, doomed.id].sort().map((id) => [id, 1]);
  expect((await shown(tab)).map((c) => [c.id, c.revision])).toEqual(before);
  expect(await waitForConnection(tab, /./)).toBe('offline');
  const attempts = bridge.attempts() - attemptsBefore;
  const offlineMs = Date.now() - cut;

  link.up();
  await waitForConnection(tab, /^live$/, PROBE_MIN_MS);
  // Resynced: all three are in the page as it is.
  await waitForShown(tab, [{ id: kept.id, revision: 2 }, { id: fresh.id, revision: 1 }], WAIT_MS);
  await waitForHighlights(tab, 2);
  expect(await commentsOf(tab, kept.id)).toEqual([
    { id: kept.id, author: 'Bob', text: kept.text },
    { id: reply.id, author: 'Bob', text: reply.text },
  ]);
  expect(await commentsOf(tab, fresh.id)).toEqual([{ id: fresh.id, author: 'Bob', text: fresh.text }]);
  expect(await tab.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  const reads = await barReads();
  return { attempts, offlineMs, reads: reads.map((r) => r.text), timeline: reads.map((r) => `${r.at} ms ${r.text}`).join(', ') };
}

describe('Firefox', () => {
  const setup = firefoxBehindItsLink();
  it('offline: the bar says so within seconds; back online, it reconnects at once and the tab shows what Bob created, edited and deleted meanwhile, without a reload', async () => {
    const { reads } = await bobChangesWhileFionaIsOffline(setup(), async () => {});
    // From live to offline, nothing else while the link was down, and live again (`reconnecting`
    // or `connecting` may show for a moment while the new socket joins).
    expect(reads[0]).toBe('live');
    expect(reads[1]).toBe('offline');
    expect(reads.at(-1)).toBe('live');
    expect(reads.slice(2, -1).every((r) => /^(offline|reconnecting|connecting)$/.test(r)), reads.join(' → ')).toBe(true);
  });
});

describe('Firefox suspending its background while offline', () => {
  const setup = firefoxBehindItsLink({ 'extensions.background.idle.timeout': IDLE_MS });
  it('each new life of the background starts offline; the one that sees the network back rejoins from the cached seq and the tab shows what Bob did, without a reload', async () => {
    const { attempts, offlineMs, reads, timeline } = await bobChangesWhileFionaIsOffline(setup(), async () => {
      // A new life of the background: its first probe, at once.
      const from = setup().bridge.attempts();
      await waitFor('a new life of the background (its first probe)', () => setup().bridge.attempts() > from, 3 * IDLE_MS, 50);
    });
    console.log(`${attempts} socket attempts in ${offlineMs} ms offline; the bar read ${timeline}`);
    // One life probes at once and then at most once per 15 s: more attempts than that are new lives.
    expect(attempts).toBeGreaterThan(1 + Math.floor(offlineMs / PROBE_MIN_MS));
    const offlineFrom = reads.indexOf('offline');
    expect(offlineFrom).toBeGreaterThan(-1);
    // The browser has no network all along: the bar says `offline` until the link is back, through
    // every suspension (the tab's port drops with the background and opens again on its next life).
    const back = reads.lastIndexOf('offline');
    expect(reads.slice(offlineFrom, back + 1).every((r) => r === 'offline'), timeline).toBe(true);
    expect(reads.slice(back + 1, -1).every((r) => /^(reconnecting|connecting)$/.test(r)), timeline).toBe(true);
    expect(reads.at(-1)).toBe('live');
  });
});
