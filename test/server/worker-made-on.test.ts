import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContentToBackground } from '../../protocol/runtime.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, conversationsOnServer, request, typicalChat, type TestSocket } from '../support/clients.js';
import { startWorker, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';

/**
 * A change a tab made on a page it has left since (a single-page app moved while its port was down)
 * comes over the new page's port, and the worker files it under the old page (Hub.operationOn, once
 * ports.ts found that page in the tab's record). The real Hub against the real server: the change
 * reaches that page, the tab is shown nothing of it, and a refusal the server gives later is told to
 * that tab, which shows none of that page's tabs.
 */
let server: ServerProcess;
let bob: TestSocket;
const workers: TestWorker[] = [];
beforeAll(async () => {
  server = await startServerProcess();
  bob = (await connect(server.url, { name: 'Bob' })).socket;
});
afterAll(async () => {
  bob?.close();
  for (const w of workers) w.stop();
  await server.stop();
});

it('files a change made on the page the tab left under that page, shows the tab nothing of it, and tells the tab of its refusal', async () => {
  const base = `https://example.com/made-on-${randomUUID()}`;
  const [urlA, urlB] = [`${base}/a`, `${base}/b`];
  const keyA = urlA.replace('https://', '');
  const storage = new WorkerStorage();
  const w = startWorker(server.url, storage, { anonymousId: randomUUID(), name: 'Alice' });
  workers.push(w);

  const onA = new TestTab(1);
  await w.hub.attach(onA, keyA, urlA);
  await onA.until(() => onA.connection === 'live', 'page A to be live');
  const chat = typicalChat(urlA);
  expect((await request(bob, 'text-chat:create', { broadcastId: randomUUID(), chat })).ok).toBe(true);
  await onA.until(() => onA.messages.some((m) => m.type === 'upsert' && m.conversation.id === chat.id), 'Bob\'s conversation on A');

  // The tab moves to B: a new port; A is let go, its state in the cache.
  w.hub.detach(onA);
  const onB = new TestTab(1);
  await w.hub.attach(onB, urlB.replace('https://', ''), urlB);
  await onB.until(() => onB.connection === 'live', 'page B to be live');
  await onB.until(() => !w.hub.pages.has(keyA) && storage.cached(keyA)?.conversations[chat.id] !== undefined, 'page A let go, in the cache');

  const reply = (text: string): ContentToBackground => ({ type: 'update', broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: randomUUID(), text } } });
  const first = reply('Made on A before the move.');
  w.hub.operationOn(onB, keyA, urlA, first);
  await onB.until(() => onB.messages.some((m) => m.type === 'received' && m.broadcastId === first.broadcastId), '`received`');
  await onB.until(() => storage.outbox.size === 0 && !w.hub.pages.has(keyA), 'the reply sent, page A let go again');
  const [stored] = await conversationsOnServer(server.url, urlA);
  expect(stored!.comments.map((c) => c.text)).toEqual([chat.text, 'Made on A before the move.']);
  expect(onB.messages.some((m) => (m.type === 'upsert' || m.type === 'remove') && (m.type === 'upsert' ? m.conversation.id : m.id) === chat.id), 'B is shown nothing of A').toBe(false);

  // Bob deletes the conversation; the worker, on A's room no more, does not hear it. A change made on A
  // to it is refused by the server (`gone`), and the tab that made it, on B, is told.
  expect((await request(bob, 'text-chat:delete', { broadcastId: randomUUID(), id: chat.id })).ok).toBe(true);
  const late = reply('Made on A, the conversation deleted meanwhile.');
  w.hub.operationOn(onB, keyA, urlA, late);
  await onB.until(() => onB.messages.some((m) => m.type === 'op-failed' && m.broadcastId === late.broadcastId), 'the refusal, told to the tab on B');
  expect(onB.messages.find((m) => m.type === 'op-failed')).toMatchObject({ id: chat.id, error: { code: 'gone' } });
  await onB.until(() => storage.outbox.size === 0 && !w.hub.pages.has(keyA), 'page A let go once more');
});
