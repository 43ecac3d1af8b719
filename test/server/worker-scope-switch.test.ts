import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect, request } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { TestPopup, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';
import { useServerWithWorkers } from '../support/worker-server.js';

/**
 * A move of the worker to another server (a save of the settings: socket-start.ts, then
 * StoredData.enterScope dropping the previous server's data) with tabs coming and going meanwhile,
 * as a user who changes the server and opens a tab right away. The real Hub, ServerConnection,
 * SocketStarter and PopupWatch against two real servers.
 */

const { server, worker } = useServerWithWorkers();
let previous: ServerProcess;
beforeAll(async () => {
  previous = await startServerProcess();
});
afterAll(async () => {
  await previous?.stop();
});

const newPage = () => {
  const url = `https://example.com/switch-${randomUUID()}`;
  return { url, pageKey: url.replace('https://', '') };
};

/** The last presence the tab was told. */
function presence(tab: TestTab): { viewers: number; names: string[] } | null {
  const last = tab.messages.filter((m) => m.type === 'presence').at(-1);
  return last?.type === 'presence' ? { viewers: last.viewers, names: last.users.map((u) => u.name) } : null;
}

/** A tab's port opening, as index.ts takes it: a socket starts if there is none, and the tab is attached. */
function openTab(w: TestWorker, tab: TestTab, page: { url: string; pageKey: string }): Promise<void> {
  w.tabs.info.set(tab.tabId, { status: 'complete', url: page.url });
  if (!w.connection.open) void w.sockets.start();
  return w.hub.attach(tab, page.pageKey, page.url);
}

/** A worker on the previous server with one tab live on a page there. */
async function onPreviousServer(storage: WorkerStorage) {
  const w = worker(previous.url, storage, { anonymousId: randomUUID(), name: 'Sam' });
  const tab = new TestTab(1);
  await openTab(w, tab, newPage());
  await tab.until(() => tab.connection === 'live' && presence(tab)?.viewers === 1, 'the first tab to be live on the previous server');
  return { w, tab };
}

it('while the worker moves to another server, its tab and popup read connecting, never offline: nothing says the server cannot be reached while the previous one\'s data is dropped', async () => {
  const storage = new WorkerStorage();
  const { w, tab } = await onPreviousServer(storage);
  const popup = new TestPopup(1);
  w.popups.add(popup);
  await popup.until((s) => s.connection === 'live' && s.viewers === 1, 'the popup to read live');
  const told = tab.messages.length;
  const shown = popup.states.length;

  // The move is held in the middle: the previous server's cached pages are being dropped.
  let release!: () => void;
  const clearing = new Promise<void>((reached) => {
    storage.onClear = () => {
      reached();
      return new Promise((resume) => (release = resume));
    };
  });
  const saved = w.useSettings({ serverUrl: server().url, name: 'Sam' });
  await clearing;
  await popup.until((s) => s.connection !== 'live', 'the popup to hear the previous socket is closed');
  expect(tab.connection).toBe('connecting');
  expect(popup.states.at(-1)).toMatchObject({ connection: 'connecting', reason: null });

  release();
  await saved;
  await tab.until(() => tab.connection === 'live' && presence(tab)?.viewers === 1, 'the tab to be live on the new server');
  await popup.until((s) => s.connection === 'live' && s.viewers === 1, 'the popup to read live on the new server');
  const states = tab.messages.slice(told).flatMap((m) => (m.type === 'connection' ? [m.state] : []));
  expect(states).not.toContain('offline');
  expect(popup.states.slice(shown).map((s) => s.connection)).not.toContain('offline');
});

it('a tab opened at any await of a move to another server, or just after it, ends joined there: live, counted, and told so, as is its popup', async () => {
  const outcomes: string[] = [];
  for (const closesFirst of [false, true]) {
    // Acts at the k-th read or write of the move, then once it is over (the socket connecting), then once the socket is live.
    for (let k = 1; ; k++) {
      const storage = new WorkerStorage();
      const { w, tab: first } = await onPreviousServer(storage);
      const second = new TestTab(2);
      const page = newPage();
      const popup = new TestPopup(2);
      const steps: string[] = [];
      let at: string | null = null;
      let attached: Promise<void> = Promise.resolve();
      const act = (where: string) => {
        if (at !== null) return;
        at = where;
        // The previous tab closes first, as a user who changed the server and moved on.
        if (closesFirst) w.hub.detach(first);
        attached = openTab(w, second, page);
        w.popups.add(popup);
      };
      let moving = true;
      storage.onStep = (what) => {
        if (!moving) return;
        steps.push(what);
        if (steps.length === k) act(`at ${what} (await ${k})`);
      };
      await w.useSettings({ serverUrl: server().url, name: 'Sam' });
      moving = false;
      const past = at === null;
      if (past && k === steps.length + 1) act('just after the move, the socket connecting');
      if (past && k === steps.length + 2) {
        await second.until(() => w.connection.live !== null, 'the socket to the new server');
        act('once the socket to the new server is live');
      }
      if (at === null) break;
      await attached;
      const where = `${closesFirst ? 'previous tab closed, ' : ''}${at}`;
      try {
        await second.until(() => second.connection === 'live' && presence(second)?.viewers === 1, 'the new tab to be live and counted');
        await popup.until((s) => s.connection === 'live' && s.viewers === 1, 'the popup to read live and counted');
        expect(presence(second)!.names).toEqual(['Sam']);
        // The new server's own view: the worker's user is on the page there.
        const observer = await connect(server().url, { name: 'Observer' });
        try {
          const joined = (await request(observer.socket, 'page:join', { url: page.url })) as { users: { name: string }[] };
          expect(joined.users.map((u) => u.name).sort()).toEqual(['Observer', 'Sam']);
        } finally {
          observer.socket.close();
        }
        outcomes.push(`${where}: joined`);
      } catch (error) {
        outcomes.push(`${where}: ${error instanceof Error ? error.message : String(error)} (tab reads ${second.connection}, ${JSON.stringify(presence(second))})`);
      }
      w.stop();
    }
  }
  // Every await of the move was tried, with and without the previous tab closing.
  expect(outcomes.filter((o) => o.includes('(await ')).length).toBeGreaterThanOrEqual(6);
  expect(outcomes.filter((o) => !o.endsWith(': joined'))).toEqual([]);
}, 120_000);

it('a move to another server that fails leaves its tabs reading offline, not connecting for ever; the next tab to open tries again', async () => {
  const storage = new WorkerStorage();
  const { w, tab } = await onPreviousServer(storage);
  storage.onClear = () => Promise.reject(new Error('the cache could not be emptied'));
  await w.useSettings({ serverUrl: server().url, name: 'Sam' });
  expect(w.connection.open).toBe(false);
  expect(tab.connection).toBe('offline');

  storage.onClear = () => Promise.resolve();
  const next = new TestTab(2);
  await openTab(w, next, newPage());
  await next.until(() => next.connection === 'live' && presence(next)?.viewers === 1, 'the next tab to be live on the new server');
  await tab.until(() => tab.connection === 'live', 'the first tab to be live again');
});
