import { randomUUID } from 'node:crypto';
import type { Page } from 'puppeteer';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, request, type TestSocket } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import { createUnconfirmed, RECOVER_MS, waitForConnection, waitNothingPending } from './support/faults-ui.js';
import { closeAll, glossBrowser, openArticle } from './support/gloss-browser.js';
import { POLL_MS, WAIT_MS } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { openRealPopup, tabIdOf } from './support/popup.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';
import { chromiumBadge, countTitle } from './support/toolbar-badge.js';
import { waitFor } from './support/wait.js';

/**
 * The toolbar badge and the popup agree while the server is away (extension/background/badge.ts),
 * in Chromium: the server is SIGKILLed, and then a page read before (its count from the worker's
 * IndexedDB cache) and a page opened only now (never joined: what it has is the user's own
 * conversation written offline) each show the popup's number on the badge, on grey, with a tooltip
 * saying it is not live. The server back on the same port and file, both turn blue with the
 * server's count.
 */
const BLUE = '#1d4ed8';
const GREY = '#4b5563';

let server: ServerProcess | undefined;
let pages: StaticServer | undefined;
let g: ChromiumWithGloss | undefined;
let bob: TestSocket | undefined;
const tabs: Page[] = [];
printLogsOnFailure(() => [g]);

beforeAll(async () => {
  server = await startServerProcess();
  pages = await startStaticServer();
  bob = (await connect(server.url, { name: 'Bob' })).socket;
  g = (await glossBrowser('chromium', 'C', { serverUrl: server.url, name: 'Alice' })) as ChromiumWithGloss;
});

afterAll(async () => {
  bob?.close();
  await closeAll(...tabs, g, pages);
  await server?.stop();
});

interface Shown {
  text: string;
  title: string;
  color: string;
}

/** The tab's badge: text, tooltip and background colour (`#rrggbb`), as Chromium has them. */
async function badge(tabId: number): Promise<Shown> {
  const { text, title } = await chromiumBadge(g!, tabId);
  const worker = await g!.worker();
  const rgba = await worker.evaluate(
    (tabId: number) => (globalThis as unknown as { chrome: { action: { getBadgeBackgroundColor(d: { tabId: number }): Promise<number[]> } } }).chrome.action.getBadgeBackgroundColor({ tabId }),
    tabId,
  );
  return { text, title, color: `#${rgba.slice(0, 3).map((c) => c.toString(16).padStart(2, '0')).join('')}` };
}

async function waitForBadge(tabId: number, want: (b: Shown) => boolean, what: string, timeoutMs = WAIT_MS): Promise<Shown> {
  let last: Shown | null = null;
  try {
    return await waitFor(what, async () => {
      last = await badge(tabId);
      return want(last) ? last : null;
    }, timeoutMs, POLL_MS);
  } catch (e) {
    throw new Error(`${(e as Error).message}; the badge showed ${JSON.stringify(last)}`);
  }
}

const live = (n: number) => (b: Shown) => b.text === String(n) && b.title === countTitle(n) && b.color === BLUE;
const notLive = (n: number) => (b: Shown) => b.text === String(n) && /^Gloss — \d+ conversations? on this page \((offline|reconnecting), not live\)$/.test(b.title) && b.title.startsWith(countTitle(n)) && b.color === GREY;

/** The number of conversations the real popup shows for `tab`. */
async function popupCount(tab: Page): Promise<string> {
  const popup = await openRealPopup(g!, tab);
  try {
    const handle = await popup.waitForFunction(() => document.querySelector('[data-testid="popup-conversations"]')?.textContent?.trim() || false, { timeout: WAIT_MS, polling: POLL_MS });
    return (await handle.jsonValue()) as string;
  } finally {
    await closeAll(popup);
  }
}

async function seed(url: string, quote: string): Promise<void> {
  const id = randomUUID();
  const chat = { id, url, target: { selector: [{ type: 'TextQuoteSelector' as const, exact: quote, prefix: '', suffix: '' }] }, text: 'By Bob.' };
  expect((await request(bob!, 'text-chat:create', { broadcastId: randomUUID(), chat })).ok).toBe(true);
}

it('offline, the badge shows the popup\'s count (cached, or the user\'s own unsent), grey and said not live; blue again once back', async () => {
  const read = pages!.url('article.html', `badge-cached-${randomUUID()}`);
  const fresh = pages!.url('article.html', `badge-fresh-${randomUUID()}`);
  await seed(read, 'previously developed');
  await seed(read, 'smoke suite');

  const a = await openArticle(g!, read);
  tabs.push(a);
  const aId = await tabIdOf(g!, a);
  await waitForBadge(aId, live(2), 'the live count');

  // The server dies: the page's count is the cache's now.
  const { port, dbPath } = server!;
  bob!.close();
  server!.kill('SIGKILL');
  await server!.exited;
  await waitForConnection(a, /^(reconnecting|offline)$/);
  await waitForBadge(aId, notLive(2), 'the cached count, not live');
  expect(await popupCount(a)).toBe('2 conversations');

  // A page never joined, opened offline: nothing known, then the user's own conversation, unsent.
  const b = await openArticle(g!, fresh);
  tabs.push(b);
  const bId = await tabIdOf(g!, b);
  await waitForConnection(b, /^(connecting|reconnecting|offline)$/);
  expect((await badge(bId)).text).toBe('');
  await createUnconfirmed(b, '#p-definition', 'previously developed', 'Written offline.');
  expect(await popupCount(b)).toBe('1 conversation');
  await waitForBadge(bId, notLive(1), 'the user\'s own unsent conversation, not live');
  await waitForBadge(aId, notLive(2), 'the other tab unchanged');

  // The server is back: both pages joined, the offline conversation sent, both blue.
  server = await startServerProcess({ dbPath, port });
  await waitForConnection(b, /^live$/, RECOVER_MS);
  await waitNothingPending(b);
  await waitForBadge(bId, live(1), 'the server\'s count on the new page', RECOVER_MS);
  await waitForBadge(aId, live(2), 'the server\'s count on the page read before', RECOVER_MS);
});
