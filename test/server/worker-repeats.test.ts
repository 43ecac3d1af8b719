import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContentToBackground } from '../../protocol/runtime.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { conversationsOnServer, typicalChat } from '../support/clients.js';
import { startWorker, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';

/**
 * A tab keeps each operation it posted until the worker says `received` (written to the outbox), and
 * posts it again over its next port when the port dropped first: a worker stopped in that instant
 * (Firefox suspends an idle one every 30 s) would otherwise lose it. So the worker hears repeats,
 * and a repeat must change nothing: the real Hub against the real server.
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

it('tells the tab `received` for each operation once it is in the outbox, and takes a repeat, at any moment, as the same operation', async () => {
  const url = `https://example.com/repeats-${randomUUID()}`;
  const pageKey = url.replace('https://', '');
  const storage = new WorkerStorage();
  const w = startWorker(server.url, storage, { anonymousId: randomUUID(), name: 'Rae' });
  workers.push(w);
  const tab = new TestTab(1);
  const inOutboxWhenReceived: boolean[] = [];
  tab.onMessage = (m) => {
    if (m.type === 'received') inOutboxWhenReceived.push(storage.outbox.has(m.broadcastId));
  };
  await w.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  const received = () => tab.messages.filter((m) => m.type === 'received').length;

  const { url: _url, ...chat } = typicalChat(url);
  const create: ContentToBackground = { type: 'create', broadcastId: chat.id, chat };
  const reply: ContentToBackground = { type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: randomUUID(), text: 'Once.' } } };
  // A repeat while the first is still being written, then one after it was confirmed.
  w.hub.operation(tab, create);
  w.hub.operation(tab, create);
  await tab.until(() => received() === 2, 'two `received`');
  expect(inOutboxWhenReceived[0], 'the first `received` comes once the op is written').toBe(true);
  w.hub.operation(tab, reply);
  await tab.until(() => storage.outbox.size === 0 && received() === 3, 'the create and the reply to be confirmed');
  w.hub.operation(tab, create);
  w.hub.operation(tab, reply);
  await tab.until(() => storage.outbox.size === 0 && received() === 5, 'the repeats to be answered');
  const [stored] = await conversationsOnServer(server.url, url);
  expect(stored!.comments.map((c) => c.text)).toEqual([chat.text, 'Once.']);

  // A delete repeated after it was done: deleted is what it asked for, not "no such conversation".
  const remove: ContentToBackground = { type: 'delete', broadcastId: randomUUID(), id: chat.id };
  w.hub.operation(tab, remove);
  await tab.until(() => storage.outbox.size === 0 && received() === 6, 'the delete to be confirmed');
  await tab.until(() => w.hub.pages.get(pageKey)?.view().has(chat.id) === false, 'the conversation to be gone');
  w.hub.operation(tab, remove);
  await tab.until(() => received() === 7, 'the repeated delete to be answered');
  expect(await conversationsOnServer(server.url, url)).toEqual([]);
  expect(tab.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
});
