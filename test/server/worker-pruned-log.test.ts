import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request, typicalChat } from '../support/clients.js';
import { startWorker, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';

/**
 * A browser away for longer than the server keeps its change log (retention): its cached seq can
 * no longer be replayed from, so the server answers with a snapshot, and the worker must take it as
 * the whole truth. A deletion it missed must not survive in its cache, nor come back.
 */

let server: ServerProcess;
const workers: TestWorker[] = [];
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => {
  for (const w of workers) w.stop();
  await server.stop();
});

it('a worker back after the log was pruned past its seq reloads the page: the deletion it missed is applied, its pending reply to it refused, the rest kept', async () => {
  const url = `https://example.com/pruned-${randomUUID()}`;
  const pageKey = url.replace('https://', '');
  const storage = new WorkerStorage();
  const identity = { anonymousId: randomUUID(), name: 'Ann' };
  const ben = await connect(server.url, { name: 'Ben' });
  const [doomed, kept] = [typicalChat(url), typicalChat(url)];
  for (const chat of [doomed, kept]) await request(ben.socket, 'text-chat:create', { broadcastId: randomUUID(), chat });

  const first = startWorker(server.url, storage, identity);
  workers.push(first);
  const tab = new TestTab(1);
  await first.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live' && first.hub.pages.get(pageKey)?.state.seq === 2, 'the page to be live at seq 2');
  first.stop();

  // While Ann is away: Ben deletes one conversation, resolves the other, starts a third.
  await request(ben.socket, 'text-chat:delete', { broadcastId: randomUUID(), id: doomed.id });
  await request(ben.socket, 'text-chat:update', { broadcastId: randomUUID(), id: kept.id, changes: { resolved: true } });
  const later = typicalChat(url);
  await request(ben.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: later });
  ben.socket.close();
  // Retention runs (here on a stopped server, as at its start): the log and the tombstone go.
  const { dbPath, port } = server;
  await server.stop();
  const store = new SqliteStore(dbPath);
  expect(store.prune(Date.now() + 1)).toBeGreaterThan(0);
  store.close();

  // Ann's next worker starts offline from her cache at seq 2 and replies to the conversation Ben deleted.
  const second = startWorker(server.url, storage, identity);
  workers.push(second);
  const again = new TestTab(1);
  await second.hub.attach(again, pageKey, url);
  second.hub.operation(again, { type: 'update', broadcastId: randomUUID(), id: doomed.id, changes: { addComment: { id: randomUUID(), text: 'too late' } } });
  await again.until(() => storage.outbox.size === 1, 'the reply to wait in the outbox');

  server = await startServerProcess({ dbPath, port });
  await again.until(() => again.connection === 'live' && storage.outbox.size === 0, 'the page to be live and the outbox sent', 20_000);
  const page = second.hub.pages.get(pageKey)!;
  expect(page.state.seq).toBe(5);
  expect(Object.keys(page.state.conversations).sort()).toEqual([kept.id, later.id].sort());
  expect(page.state.conversations[kept.id]!.resolved).toBe(true);
  expect([...page.view().keys()].sort()).toEqual([kept.id, later.id].sort());
  expect(again.messages.find((m) => m.type === 'op-failed')).toMatchObject({ id: doomed.id });
  // The tab, from what it was sent: the deleted conversation is gone from it too.
  const shown = new Set<string>();
  for (const m of again.messages) {
    if (m.type === 'snapshot') {
      shown.clear();
      for (const c of m.conversations) shown.add(c.id);
    } else if (m.type === 'upsert') shown.add(m.conversation.id);
    else if (m.type === 'remove') shown.delete(m.id);
  }
  expect([...shown].sort()).toEqual([kept.id, later.id].sort());
  // And the cache written for the next worker holds the same.
  const cached = storage.cached(pageKey);
  expect(cached?.seq).toBe(5);
  expect(Object.keys(cached?.conversations ?? {}).sort()).toEqual([kept.id, later.id].sort());
}, 40_000);
