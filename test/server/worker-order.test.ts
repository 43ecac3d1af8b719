import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { connect, request, typicalChat } from '../support/clients.js';
import { TestTab, WorkerStorage } from '../support/worker.js';
import { useServerWithWorkers } from '../support/worker-server.js';

/**
 * A page's ops go to the server in the order they were made (docs/reliability.md, "Order"), also
 * across a worker restart, which reads them back from the persisted outbox by their stored position.
 * The real worker Hub against the real server; the order is read from the server's change log.
 */

const { server, worker } = useServerWithWorkers();

/** The broadcastIds of the page's changes, in the server's seq order. */
async function changeLog(url: string): Promise<string[]> {
  const client = await connect(server().url, { name: 'Reader' });
  try {
    await request(client.socket, 'page:join', { url });
    const answer = (await request(client.socket, 'page:sync', { url, sinceSeq: 0 })) as { changes: { seq: number; broadcastId: string }[] };
    return [...answer.changes].sort((a, b) => a.seq - b.seq).map((c) => c.broadcastId);
  } finally {
    client.socket.close();
  }
}

it('an edit moved onto the reply made before it keeps its place in the persisted outbox: the next worker sends it before the op made after it', async () => {
  const url = `https://example.com/order-${randomUUID()}`;
  const pageKey = url.replace('https://', '');
  const identity = { anonymousId: randomUUID(), name: 'Ora' };
  const settings = { serverUrl: server().url, name: identity.name };
  const storage = new WorkerStorage();
  const first = worker(server().url, storage, identity);
  const tab = new TestTab(1);
  await first.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  const { url: _c, ...c } = typicalChat(url);
  const { url: _d, ...d } = typicalChat(url);
  first.hub.operation(tab, { type: 'create', broadcastId: c.id, chat: c });
  first.hub.operation(tab, { type: 'create', broadcastId: d.id, chat: d });
  await tab.until(() => storage.outbox.size === 0, 'both creates to be confirmed');

  // Offline: a reply, an edit made on top of it (the tab still shows revision 1), then a resolve elsewhere.
  first.connection.stop();
  const reply = { type: 'update' as const, broadcastId: randomUUID(), id: c.id, changes: { addComment: { id: randomUUID(), text: 'a reply' } } };
  const edit = { type: 'update' as const, broadcastId: randomUUID(), id: c.id, baseRevision: 1, changes: { editComment: { id: c.id, text: 'edited after replying' } } };
  const resolve = { type: 'update' as const, broadcastId: randomUUID(), id: d.id, changes: { resolved: true } };
  for (const op of [reply, edit, resolve]) first.hub.operation(tab, op);
  await tab.until(() => storage.outbox.size === 3, 'the offline ops to be stored');

  // Back online: the reply is confirmed and the edit moved onto it (written back to the outbox);
  // the worker is stopped at that moment, before the edit goes out.
  tab.onMessage = () => {
    if (!storage.outbox.has(reply.broadcastId)) first.stop();
  };
  first.connection.start(settings, identity.anonymousId);
  await tab.until(() => !first.connection.open, 'the reply to be confirmed and the worker stopped');
  expect([...storage.outbox.keys()].sort()).toEqual([edit.broadcastId, resolve.broadcastId].sort());

  const second = worker(server().url, storage, identity);
  const again = new TestTab(1);
  await second.hub.attach(again, pageKey, url);
  await again.until(() => storage.outbox.size === 0, 'the outbox to be sent');
  expect(again.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
  expect(await changeLog(url)).toEqual([c.id, d.id, reply.broadcastId, edit.broadcastId, resolve.broadcastId]);
});
