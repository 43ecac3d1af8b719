import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, conversationsOnServer, request, typicalChat, type TestSocket } from '../support/clients.js';
import { startWorker, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';

/**
 * A page's cached state is written at most once at a time, and spaced while the page changes fast
 * (background/cache-writes.ts): a burst of peer creates is far fewer writes than creates, the last
 * state is written once the burst is over, and a worker stopped with its cache behind resumes from
 * the older seq and converges with the server. The real worker and server; the storage is the
 * harness's (test/support/worker.ts), whose writes are made as slow as IndexedDB's at a large page.
 */

const CREATES = 40;
let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

/** Peer creates on the page, one every 30 ms (each its own broadcast, as in a live burst). */
async function burst(socket: TestSocket, url: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await request(socket, 'text-chat:create', { broadcastId: randomUUID(), chat: typicalChat(url) });
    await sleep(30);
  }
}

async function livePage(storage: WorkerStorage, url: string): Promise<{ worker: TestWorker; tab: TestTab; pageKey: string }> {
  const pageKey = url.replace('https://', '');
  const worker = startWorker(server.url, storage, { anonymousId: randomUUID(), name: 'Ann' });
  onTestFinished(() => worker.stop());
  const tab = new TestTab(1);
  await worker.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  return { worker, tab, pageKey };
}

it('a burst of peer creates is written to the cache far fewer times than it has creates, and the last state is written', async () => {
  const url = `https://example.com/cache-burst-${randomUUID()}`;
  const storage = new WorkerStorage();
  let writes = 0;
  // Each write takes 100 ms, as a page of thousands of conversations may in IndexedDB.
  storage.onStep = async (what) => {
    if (what !== 'write page') return;
    writes++;
    await sleep(100);
  };
  const { worker, tab, pageKey } = await livePage(storage, url);
  const ben = await connect(server.url, { name: 'Ben' });
  try {
    const before = writes;
    await burst(ben.socket, url, CREATES);
    const page = worker.hub.pages.get(pageKey)!;
    await tab.until(() => Object.keys(page.state.conversations).length === CREATES, 'every create to reach the worker');
    await tab.until(() => storage.cached(pageKey)?.seq === page.state.seq, 'the last state to be written', 5_000);
    expect(writes - before).toBeLessThanOrEqual(CREATES / 4);
    const row = storage.cached(pageKey)!;
    expect(Object.keys(row.conversations).sort()).toEqual((await conversationsOnServer(server.url, url)).map((c) => c.id).sort());
  } finally {
    ben.socket.close();
  }
}, 30_000);

it('a worker killed with its cache behind the page resumes from the older seq and converges with the server', async () => {
  const url = `https://example.com/cache-restart-${randomUUID()}`;
  const storage = new WorkerStorage();
  const first = await livePage(storage, url);
  const ben = await connect(server.url, { name: 'Ben' });
  try {
    // The first write of the burst never finishes while the worker lives: the changes after it wait for it.
    let hold = (): void => {};
    const held = new Promise<void>((resolve) => (hold = resolve));
    let holding = true;
    storage.onStep = async (what) => {
      if (what === 'write page' && holding) await held;
    };
    await burst(ben.socket, url, CREATES / 2);
    const page = first.worker.hub.pages.get(first.pageKey)!;
    await first.tab.until(() => Object.keys(page.state.conversations).length === CREATES / 2, 'the first half to reach the worker');
    const stale = storage.cached(first.pageKey)!;
    expect(stale.seq).toBeLessThan(page.state.seq!);
    // The worker is killed (the browser closed) with its cache behind: its pending writes go with it.
    first.worker.kill();
    holding = false;
    hold();

    await burst(ben.socket, url, CREATES / 2);
    const second = await livePage(storage, url);
    const server_ = await conversationsOnServer(server.url, url);
    expect(server_).toHaveLength(CREATES);
    const next = () => second.worker.hub.pages.get(second.pageKey)!;
    await second.tab.until(() => Object.keys(next().state.conversations).length === CREATES, 'the restarted worker to have every conversation');
    expect(Object.keys(next().state.conversations).sort()).toEqual(server_.map((c) => c.id).sort());
    await second.tab.until(() => storage.cached(second.pageKey)?.seq === next().state.seq, 'the cache to catch up');
    expect(Object.keys(storage.cached(second.pageKey)!.conversations)).toHaveLength(CREATES);
  } finally {
    ben.socket.close();
  }
}, 30_000);
