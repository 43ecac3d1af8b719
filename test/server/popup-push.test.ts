import { randomUUID } from 'node:crypto';
import type { Runtime } from 'webextension-polyfill';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { popupPortName } from '../../protocol/runtime.js';
import { acceptPopupPort } from '../../extension/background/popup-port.js';
import { FakePort } from '../unit/content/fake-port.js';
import { connect, request, typicalChat } from '../support/clients.js';
import { closedPort, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWorker, TestPopup, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';

/**
 * What the worker pushes to a popup's port, from the real Hub, ServerConnection and PopupWatch on a
 * real socket against the real server. The browser's tabs (`tabs.get` and the tab events) are the
 * one thing given here: what Chromium and Firefox answer is in test/e2e/popup-*.test.ts. Nothing
 * here asks the worker for a state: every state a popup holds was pushed.
 */
let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

const workers: TestWorker[] = [];
const sockets: { close(): void }[] = [];
afterAll(() => {
  for (const w of workers) w.stop();
  for (const s of sockets) s.close();
});

function worker(identity: { name: string; token?: string } = { name: 'Pat' }): TestWorker {
  const w = startWorker(server.url, new WorkerStorage(), { anonymousId: randomUUID(), ...identity });
  workers.push(w);
  return w;
}

const newPage = () => {
  const url = `https://example.com/popup-${randomUUID()}`;
  return { url, pageKey: url.replace('https://', '') };
};

it('pushes the tab\'s state when the popup opens, then each change of who is viewing, and nothing once it closes', async () => {
  const w = worker();
  const { url, pageKey } = newPage();
  const tab = new TestTab(7);
  await w.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');

  const popup = new TestPopup(7);
  w.popups.add(popup);
  const first = await popup.until((s) => s.viewers === 1, 'the state as the popup opens');
  expect(first).toMatchObject({ page: 'annotatable', connection: 'live', reason: null, pageKey, viewers: 1, conversations: 0 });
  expect(first.users).toEqual([w.hub.self]);

  // Another user opens the page: the popup is told, unasked.
  const other = await connect(server.url, { name: 'Quinn' });
  sockets.push(other.socket);
  expect(await request(other.socket, 'page:join', { url })).toMatchObject({ ok: true });
  const two = await popup.until((s) => s.viewers === 2, 'the second viewer');
  expect(two.users.map((u) => u.name).sort()).toEqual(['Pat', 'Quinn']);

  // A state that did not change is not sent again.
  const sent = popup.messages.length;
  w.popups.refresh();
  await new Promise((r) => setTimeout(r, 50));
  expect(popup.messages.length).toBe(sent);

  // Closed: nothing more goes to it, though the page changes.
  w.popups.remove(popup);
  expect(await request(other.socket, 'page:leave', { url })).toMatchObject({ ok: true });
  await tab.until(() => tab.messages.some((m) => m.type === 'presence' && m.viewers === 1), 'the tab to hear the other user left');
  await new Promise((r) => setTimeout(r, 50));
  expect(popup.messages.length).toBe(sent);
});

it('pushes what becomes of a tab with no script: loading, loaded without Gloss, Gloss connected, its script gone, the tab closed', async () => {
  const w = worker();
  const { url, pageKey } = newPage();
  w.tabs.info.set(3, { status: 'loading', url });
  const popup = new TestPopup(3);
  w.popups.add(popup);
  expect(await popup.until(() => true, 'the first state')).toMatchObject({ page: 'loading', pageKey: null, viewers: 0 });

  w.tabs.info.set(3, { status: 'complete', url });
  w.tabs.updated.fire(3, { status: 'complete' });
  await popup.until((s) => s.page === 'not-running', 'the tab to be loaded without a script');

  const tab = new TestTab(3);
  await w.hub.attach(tab, pageKey, url);
  const live = await popup.until((s) => s.page === 'annotatable' && s.connection === 'live' && s.viewers === 1, 'Gloss live on the tab');
  expect(live.pageKey).toBe(pageKey);

  w.hub.detach(tab);
  await popup.until((s) => s.page === 'not-running', 'the script gone');

  w.tabs.info.delete(3);
  w.tabs.removed.fire(3);
  await popup.until((s) => s.page === 'unsupported', 'the tab closed');
  // Another tab's events are not this popup's business.
  const sent = popup.messages.length;
  w.tabs.info.set(4, { status: 'loading', url });
  w.tabs.updated.fire(4, { status: 'loading' });
  await new Promise((r) => setTimeout(r, 50));
  expect(popup.messages.length).toBe(sent);
});

it('pushes a refused token, then new settings (an unreachable server: offline, not refused), never the token itself', async () => {
  const token = 'not.a.token';
  const w = worker({ name: 'Pat', token });
  const { url, pageKey } = newPage();
  const tab = new TestTab(1);
  await w.hub.attach(tab, pageKey, url);
  const popup = new TestPopup(1);
  w.popups.add(popup);
  await popup.until((s) => s.connection === 'offline' && s.reason === 'refused', 'the refusal');

  await w.useSettings({ serverUrl: `http://127.0.0.1:${await closedPort()}`, name: 'Pat' });
  await popup.until((s) => s.connection === 'connecting' && s.reason === null, 'the new settings to be tried');
  await popup.until((s) => s.connection === 'offline' && s.reason === null, 'the unreachable server');
  expect(JSON.stringify(popup.messages)).not.toContain(token);
});

it('pushes who the user is once the server says so (sign-in), and a new conversation\'s count', async () => {
  const w = worker({ name: 'Robin' });
  const { url, pageKey } = newPage();
  const tab = new TestTab(5);
  const popup = new TestPopup(5);
  w.popups.add(popup);
  await w.hub.attach(tab, pageKey, url);
  const signedIn = await popup.until((s) => s.self !== null && s.connection === 'live', 'the session');
  expect(signedIn.self?.name).toBe('Robin');
  // Settings saved with another name: a new sign-in, and the popup hears who the user is now.
  await w.useSettings({ serverUrl: server.url, name: 'Robin Two' });
  await popup.until((s) => s.self?.name === 'Robin Two' && s.connection === 'live', 'the new sign-in');

  const other = await connect(server.url, { name: 'Sky' });
  sockets.push(other.socket);
  await request(other.socket, 'page:join', { url });
  const created = await request(other.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: typicalChat(url) });
  expect(created).toMatchObject({ ok: true });
  await popup.until((s) => s.conversations === 1, 'the new conversation counted');
});

const RUNTIME = 'gloss-extension-id';
const BASE = `chrome-extension://${RUNTIME}/`;

/** The browser's runtime.Port as the worker receives it from runtime.onConnect, with its name and sender. */
function browserPort(name: string, sender: Runtime.MessageSender): FakePort & Runtime.Port {
  return Object.assign(new FakePort(), { name, sender }) as unknown as FakePort & Runtime.Port;
}

it('takes a popup port only from the extension\'s own pages, answers open-panel over it, and forgets it when it closes', async () => {
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
  try {
    const w = worker();
    const { url, pageKey } = newPage();
    const tab = new TestTab(9);
    await w.hub.attach(tab, pageKey, url);
    await tab.until(() => tab.connection === 'live', 'the page to be live');
    const lifetime = new AbortController();

    // A content script (same extension id, a web page's URL) naming a tab is turned away.
    const fromPage = browserPort(popupPortName(9), { id: RUNTIME, url, tab: { id: 9 } as Runtime.MessageSender['tab'] });
    acceptPopupPort(fromPage, w.hub, w.popups, RUNTIME, BASE, lifetime.signal);
    expect(fromPage.alive).toBe(false);
    expect(fromPage.sent).toEqual([]);
    expect(w.popups.size).toBe(0);

    const popup = browserPort(popupPortName(9), { id: RUNTIME, url: `${BASE}extension/popup/index.html` });
    acceptPopupPort(popup, w.hub, w.popups, RUNTIME, BASE, lifetime.signal);
    expect(w.popups.size).toBe(1);
    // Its first state goes out once the worker has read the tab: awaited, not given a fixed 20 ms.
    await vi.waitFor(() => expect(popup.sent.length).toBeGreaterThan(0), { timeout: 10_000, interval: 10 });
    expect(popup.sent[0]).toMatchObject({ type: 'tab-state', state: { page: 'annotatable', pageKey, viewers: 1 } });

    popup.deliver({ type: 'open-panel', request: 4, tabId: 1 });
    popup.deliver({ type: 'open-panel', request: 5 });
    expect(popup.sent.at(-1)).toEqual({ type: 'panel-opened', request: 5, ok: true });
    expect(tab.messages.filter((m) => m.type === 'open-panel')).toHaveLength(1);

    popup.drop();
    expect(w.popups.size).toBe(0);
    lifetime.abort();
  } finally {
    warn.mockRestore();
  }
});
