import type { Page } from 'puppeteer';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { uuidv7 } from '../../protocol/ids.js';
import { PUSH_CHUNK_ITEMS } from '../../extension/background/push-chunks.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import type { ChromiumWithGloss } from './support/chromium.js';
import type { FirefoxWithGloss } from './support/firefox.js';
import { closeAll, glossBrowser, type GlossBrowser } from './support/gloss-browser.js';
import { byTestId, clickUi, showAllCards, waitForHighlights, waitForUi, waitInUi } from './support/gloss-ui.js';
import { printLogsOnFailure } from './support/hooks.js';
import { serveOnePage } from './support/one-page-site.js';

/**
 * A page joined with many conversations: the worker used to hand them to the tab one port message
 * each (1,500 messages here, each its own task in the tab); now a join brings them in a few
 * `changes` messages (extension/background/push-chunks.ts). In Chromium the messages are counted
 * where the worker posts them, on the Port object the browser hands its `onConnect` listeners (each
 * posted message is one the tab's port receives). The tab must still paint and list every one.
 */
const N = 1_500;

let server: ServerProcess;
let site: Awaited<ReturnType<typeof serveOnePage>> | undefined;
let origin: string;
let g: ChromiumWithGloss | undefined;
let f: FirefoxWithGloss | undefined;
let peer: Socket | undefined;

printLogsOnFailure(() => [g, f]);

/** Opens `url` and waits until all `n` conversations are painted. */
async function openPainted(browser: GlossBrowser, url: string, n: number): Promise<Page> {
  const page = await browser.newPage(url);
  await waitForUi(page);
  await waitForHighlights(page, n, 60_000);
  return page;
}

/** Every one is listed in the panel, none of them "not found". */
async function listsAll(page: Page, n: number): Promise<void> {
  await clickUi(page, byTestId('panel-toggle'));
  await showAllCards(page, 60_000);
  await waitInUi(page, `${n} cards`, (root, n: number) => root.querySelectorAll('[data-testid="conversation"]').length === n, n, 60_000);
  expect(await page.evaluate(() => !!document.querySelector('gloss-root')?.shadowRoot?.querySelector('[data-testid="orphaned"]'))).toBe(false);
}

const paragraph = (i: number) => `<p>Paragraph ${i} of a long page says something of its own, number ${i}.</p>`;

beforeAll(async () => {
  // The peer seeds the page faster than an ordinary user may write.
  server = await startServerProcess({ env: { GLOSS_RATE_PER_SECOND: '100000', GLOSS_RATE_BURST: '100000' } });
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>A long page</title></head><body>${Array.from({ length: N }, (_, i) => paragraph(i)).join('')}</body></html>`;
  site = await serveOnePage('/long.html', html);
  origin = site.origin;
  g = (await glossBrowser('chromium', 'join-many', { serverUrl: server.url, name: 'Reader' })) as ChromiumWithGloss;
  f = (await glossBrowser('firefox', 'join-many-firefox', { serverUrl: server.url, name: 'Fiona' })) as FirefoxWithGloss;
});

afterAll(async () => {
  peer?.close();
  await closeAll(g, f);
  await site?.close();
  await server?.stop();
});

async function seed(url: string): Promise<void> {
  peer?.close();
  peer = io(server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { anonymousId: crypto.randomUUID(), name: 'Peer' } });
  await new Promise<void>((resolve, reject) => {
    peer!.once('connect', () => resolve());
    peer!.once('connect_error', reject);
  });
  const joined = (await peer.emitWithAck('page:join', { url })) as { ok: boolean };
  expect(joined.ok).toBe(true);
  for (let i = 0; i < N; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, N - i) }, async (_, k) => {
        const id = uuidv7();
        const exact = `something of its own, number ${i + k}.`;
        const ack = (await peer!.emitWithAck('text-chat:create', { broadcastId: id, chat: { id, url, target: { selector: [{ type: 'TextQuoteSelector', exact }] }, text: `Note ${i + k}` } })) as { ok: boolean };
        expect(ack.ok).toBe(true);
      }),
    );
  }
}

interface Posted {
  type: string;
  conversations: number;
}

it('a page joined with 1,500 conversations gets them in a few port messages, and every one is painted and listed', async () => {
  const url = `${origin}/long.html?run=join-many`;
  await seed(url);

  // Before the tab opens: every page port the worker is handed from now on has its posts recorded.
  const worker = await g!.worker();
  await worker.evaluate(`(() => {
    const posted = [];
    globalThis.__e2ePosted = posted;
    chrome.runtime.onConnect.addListener((port) => {
      if (!port.name.startsWith('gloss-page ')) return;
      const post = port.postMessage.bind(port);
      port.postMessage = (m) => {
        const conversations = m.type === 'changes' ? m.upserts.length : m.type === 'snapshot' ? m.conversations.length : m.type === 'upsert' ? 1 : 0;
        posted.push({ type: m.type, conversations });
        post(m);
      };
    });
  })()`);

  const page = await openPainted(g!, url, N);
  const posted = (await worker.evaluate('globalThis.__e2ePosted')) as Posted[];
  const carrying = posted.filter((m) => m.conversations > 0);
  expect(carrying.reduce((sum, m) => sum + m.conversations, 0), 'all of them reached the tab').toBe(N);
  expect(posted.filter((m) => m.type === 'upsert'), 'none alone').toEqual([]);
  expect(carrying.length, `messages that carried conversations: ${JSON.stringify(carrying)}`).toBeLessThanOrEqual(Math.ceil(N / PUSH_CHUNK_ITEMS));
  await listsAll(page, N);

  // A live change after the join still comes alone.
  const before = posted.length;
  const id = uuidv7();
  const ack = (await peer!.emitWithAck('text-chat:create', { broadcastId: id, chat: { id, url, target: { selector: [{ type: 'TextQuoteSelector', exact: 'Paragraph 3 of a long page' }] }, text: 'Live' } })) as { ok: boolean };
  expect(ack.ok).toBe(true);
  await waitForHighlights(page, N + 1);
  const after = ((await worker.evaluate('globalThis.__e2ePosted')) as Posted[]).slice(before);
  expect(after.filter((m) => m.conversations > 0)).toEqual([{ type: 'upsert', conversations: 1 }]);
});

// Firefox's background cannot be reached from the test (WebDriver BiDi), so its messages are not
// counted: this shows that the `changes` messages pass the tab's schema and are rendered there too.
it('Firefox: a page joined with 1,500 conversations gets every one painted and listed', async () => {
  const url = `${origin}/long.html?run=join-many-firefox`;
  await seed(url);
  await listsAll(await openPainted(f!, url, N), N);
});
