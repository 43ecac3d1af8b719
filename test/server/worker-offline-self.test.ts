import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { typicalChat } from '../support/clients.js';
import { startWorker, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';

/**
 * A worker started while the server cannot be reached (the browser restarted offline, or Firefox
 * suspended its idle background and woke it on a plane): it still knows who the user is, from the
 * last session of the same settings, so their own comments stay theirs to edit and delete.
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

function selfOf(tab: TestTab) {
  const last = tab.messages.filter((m) => m.type === 'connection').at(-1);
  return last?.type === 'connection' ? last.self : undefined;
}

it('offline after a worker restart, the user is still themselves: own comments editable, new ones theirs, all sent once back', async () => {
  const url = `https://example.com/offline-self-${randomUUID()}`;
  const pageKey = url.replace('https://', '');
  const storage = new WorkerStorage();
  const identity = { anonymousId: randomUUID(), name: 'Ann' };
  const first = startWorker(server.url, storage, identity);
  workers.push(first);
  const tab = new TestTab(1);
  await first.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live' && selfOf(tab) != null, 'the page to be live');
  const ann = selfOf(tab)!;
  const { url: _url, ...chat } = typicalChat(url);
  first.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
  await tab.until(() => storage.outbox.size === 0, 'the create to be confirmed');
  first.stop();

  // The server goes away; the browser starts a new worker, which cannot reach it.
  const { dbPath, port } = server;
  await server.stop();
  const second = startWorker(server.url, storage, identity);
  workers.push(second);
  const again = new TestTab(1);
  await second.hub.attach(again, pageKey, url);
  await again.until(() => selfOf(again) != null, 'the tab to be told who the user is', 5_000);
  expect(selfOf(again)).toEqual(ann);
  expect(second.connection.state).not.toBe('live');

  const reply = { id: randomUUID(), text: 'written offline' };
  second.hub.operation(again, { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { addComment: reply } });
  const shown = () => {
    const last = again.messages.filter((m) => m.type === 'upsert' && m.conversation.id === chat.id).at(-1);
    return last?.type === 'upsert' ? last.conversation : undefined;
  };
  await again.until(() => shown()?.comments.length === 2, 'the pending reply to show');
  // The tab shows the pending reply as the user's own (its author is who the tab is told it is).
  expect(shown()!.comments[1]!.author).toEqual(ann);

  server = await startServerProcess({ dbPath, port });
  await again.until(() => storage.outbox.size === 0 && again.connection === 'live', 'the reply to be sent once the server is back', 20_000);
  expect(shown()!.comments.map((c) => [c.author.id, c.text])).toEqual([
    [ann.id, chat.text],
    [ann.id, 'written offline'],
  ]);
  expect(shown()!.pending).toBeUndefined();
}, 40_000);
