import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TabState } from '../../protocol/runtime.js';
import { answerPopup } from '../../extension/background/popup.js';
import type { TabInfo } from '../../extension/background/tab-page.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { startWorker, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';

/**
 * The worker's answer to the popup's `tab-state`, from the real Hub and ServerConnection on a real
 * socket against the real server. The browser's `tabs.get` is the one thing given here: what
 * Chromium and Firefox answer is in test/e2e/popup-*.test.ts.
 */
let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

const workers: TestWorker[] = [];
afterAll(() => {
  for (const w of workers) w.stop();
});

const loaded: TabInfo = { status: 'complete', url: 'https://example.com/loaded' };
const tabState = async (w: TestWorker, tabId: number, tab: TabInfo | null = loaded) => (await answerPopup({ type: 'tab-state', tabId }, w.hub, { tab: async () => tab })) as TabState;

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A port nothing listens on: connecting to it fails at once. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((r) => probe.close(() => r()));
  return port;
}

it('a tab with a connected script: annotatable, live, its page key, and not refused', async () => {
  const w = startWorker(server.url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Pat' });
  workers.push(w);
  const url = `https://example.com/popup-${randomUUID()}`;
  const tab = new TestTab(7);
  await w.hub.attach(tab, url.replace('https://', ''), url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  const state = await tabState(w, 7);
  expect(state).toMatchObject({ page: 'annotatable', connection: 'live', refused: false, pageKey: url.replace('https://', ''), viewers: 1 });
  expect(state.users).toEqual([w.hub.self]);
  // Another tab, with no script, in the same worker: what the browser says of it decides.
  expect(await tabState(w, 8, { status: 'loading' })).toMatchObject({ page: 'loading', pageKey: null, viewers: 0 });
  expect(await tabState(w, 8, { status: 'complete' })).toMatchObject({ page: 'unsupported', pageKey: null });
  expect(await tabState(w, 8, loaded)).toMatchObject({ page: 'not-running', pageKey: null });
});

it('a token the server refuses: offline and refused, in the popup and in the tab (which is never sent the token); an unreachable server: offline, not refused', async () => {
  const token = 'not.a.token';
  const w = startWorker(server.url, new WorkerStorage(), { anonymousId: randomUUID(), name: 'Pat', token });
  workers.push(w);
  const url = `https://example.com/popup-${randomUUID()}`;
  const tab = new TestTab(1);
  await w.hub.attach(tab, url.replace('https://', ''), url);
  const told = () => tab.messages.filter((m) => m.type === 'connection').at(-1);
  await until(() => w.connection.refused, 'the server to refuse the token');
  expect(await tabState(w, 1)).toMatchObject({ connection: 'offline', refused: true });
  await tab.until(() => told()?.refused === true, 'the tab to be told the server refused Gloss');
  expect(told()).toMatchObject({ state: 'offline', refused: true });
  expect(JSON.stringify(tab.messages)).not.toContain(token);

  await w.useSettings({ serverUrl: `http://127.0.0.1:${await closedPort()}`, name: 'Pat' });
  expect(w.connection.refused).toBe(false);
  await until(() => w.connection.state === 'offline', 'the connection to fail');
  expect(await tabState(w, 1)).toMatchObject({ connection: 'offline', refused: false });
  expect(told()).toMatchObject({ state: 'offline', refused: false });
});
