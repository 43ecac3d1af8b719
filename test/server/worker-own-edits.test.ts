import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Conversation } from '../../protocol/model.js';
import { issueToken, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request, typicalChat } from '../support/clients.js';
import { startAckDroppingProxy } from '../support/ack-dropping-proxy.js';
import { startWorker, TestTab, WorkerStorage, type TestWorker } from '../support/worker.js';

/**
 * A user's edits made one after the other on their own pending edits: the real worker Hub against
 * the real server. A tab's view lags the worker's by a message, so an edit can reach the worker
 * after the edit it was made on top of was confirmed.
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

async function serverChat(url: string, id: string, token?: string): Promise<Conversation | undefined> {
  const client = await connect(server.url, token !== undefined ? { token } : { name: 'Reader' });
  try {
    const answer = (await request(client.socket, 'page:join', { url })) as { conversations: Conversation[] };
    return answer.conversations.find((c) => c.id === id);
  } finally {
    client.socket.close();
  }
}

/** Each worker's anonymous id, to start its socket again or sign in as the same user elsewhere. */
const annId = new Map<TestWorker, string>();

/** A live page with a conversation of Ann's (or of the token's user) created through the worker. */
async function openPage(token?: string) {
  const url = `https://example.com/own-edits-${randomUUID()}`;
  const pageKey = url.replace('https://', '');
  const storage = new WorkerStorage();
  const anonymousId = randomUUID();
  const w = startWorker(server.url, storage, { anonymousId, name: 'Ann', ...(token !== undefined ? { token } : {}) });
  workers.push(w);
  annId.set(w, anonymousId);
  const tab = new TestTab(1);
  await w.hub.attach(tab, pageKey, url);
  await tab.until(() => tab.connection === 'live', 'the page to be live');
  const { url: _url, ...chat } = typicalChat(url);
  w.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
  await tab.until(() => storage.outbox.size === 0, 'the create to be confirmed');
  return { url, pageKey, w, tab, storage, chat };
}

const edit = (id: string, baseRevision: number, text: string) => ({ type: 'update' as const, broadcastId: randomUUID(), id, baseRevision, changes: { editComment: { id, text } } });

it('a second edit the tab made on top of its first, reaching the worker after the first was confirmed, is not refused as a conflict', async () => {
  const { url, w, tab, storage, chat } = await openPage();
  w.hub.operation(tab, edit(chat.id, 1, 'one'));
  await tab.until(() => storage.outbox.size === 0, 'the first edit to be confirmed');
  // The tab still shows revision 1 with its edit pending: the upsert of revision 2 was on its way.
  w.hub.operation(tab, edit(chat.id, 1, 'two'));
  await tab.until(() => storage.outbox.size === 0, 'the second edit to be answered');
  expect(tab.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
  expect((await serverChat(url, chat.id))?.comments[0]?.text).toBe('two');
});

it('an edit made on a view that missed someone else\'s change in between is still refused as a conflict', async () => {
  const { url, w, tab, storage, chat } = await openPage();
  w.hub.operation(tab, edit(chat.id, 1, 'mine'));
  await tab.until(() => storage.outbox.size === 0, 'our edit to be confirmed');
  // Someone (the same user, from another browser) resolves it: revision 3, which this worker sees.
  const other = await connect(server.url, { name: 'Ann elsewhere' });
  await request(other.socket, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { resolved: true } });
  other.socket.close();
  await tab.until(() => w.hub.pages.get(url.replace('https://', ''))?.state.conversations[chat.id]?.revision === 3, 'the resolve to arrive');
  w.hub.operation(tab, edit(chat.id, 1, 'stale'));
  await tab.until(() => tab.messages.some((m) => m.type === 'op-failed'), 'the stale edit to be refused');
  expect(tab.messages.find((m) => m.type === 'op-failed')).toMatchObject({ error: { code: 'conflict' } });
  expect((await serverChat(url, chat.id))?.comments[0]?.text).toBe('mine');
});

it('an edit made while our reply, applied but unanswered, came back in the resync is not refused once the reply is confirmed', async () => {
  const proxy = await startAckDroppingProxy(server.port);
  const url = `https://example.com/own-edits-${randomUUID()}`;
  const pageKey = url.replace('https://', '');
  const storage = new WorkerStorage();
  const w = startWorker(proxy.url, storage, { anonymousId: randomUUID(), name: 'Ann' });
  workers.push(w);
  try {
    const tab = new TestTab(1);
    await w.hub.attach(tab, pageKey, url);
    await tab.until(() => tab.connection === 'live', 'the page to be live');
    const { url: _url, ...chat } = typicalChat(url);
    w.hub.operation(tab, { type: 'create', broadcastId: chat.id, chat });
    await tab.until(() => storage.outbox.size === 0, 'the create to be confirmed');

    // The reply is applied (revision 2) and its answer lost with the connection.
    proxy.dropNextAcks(1);
    const reply = { type: 'update' as const, broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: randomUUID(), text: 'reply' } } };
    let edited = false;
    tab.onMessage = (message) => {
      // The rejoin brings revision 2 (the reply) while the reply is still pending. The tab, whose view
      // (revision 1 with the reply pending) this upsert has not reached yet, edits its comment.
      if (edited || message.type !== 'upsert' || message.conversation.revision !== 2 || !storage.outbox.has(reply.broadcastId)) return;
      edited = true;
      w.hub.operation(tab, edit(chat.id, 1, 'edited'));
    };
    w.hub.operation(tab, reply);
    await tab.until(() => edited && storage.outbox.size === 0, 'the reply and the edit to be answered', 15_000);
    expect(proxy.dropped).toBe(1);
    expect(tab.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
    const stored = await serverChat(url, chat.id);
    expect(stored?.comments.map((c) => c.text)).toEqual(['edited', 'reply']);
  } finally {
    w.stop();
    await proxy.close();
  }
}, 30_000);

it('an edit of one\'s own comment made offline goes in although someone replied meanwhile; one whose comment was edited elsewhere meanwhile is refused', async () => {
  const { url, w, tab, storage, chat } = await openPage();
  // Ann's browser goes offline and she fixes her comment there.
  w.connection.stop();
  w.hub.operation(tab, edit(chat.id, 1, 'fixed offline'));
  // Meanwhile Ben replies, and the conversation moves to revision 2.
  const ben = await connect(server.url, { name: 'Ben' });
  await request(ben.socket, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: randomUUID(), text: 'a reply' } } });
  ben.socket.close();

  w.connection.start({ serverUrl: server.url, name: 'Ann' }, annId.get(w)!);
  await tab.until(() => tab.connection === 'live' && storage.outbox.size === 0, 'the edit to be answered', 15_000);
  expect(tab.messages.filter((m) => m.type === 'op-failed')).toEqual([]);
  expect((await serverChat(url, chat.id))?.comments.map((c) => c.text)).toEqual(['fixed offline', 'a reply']);

  // Offline again; this time the same comment is edited from her other browser meanwhile: a true conflict.
  w.connection.stop();
  w.hub.operation(tab, edit(chat.id, 3, 'second fix offline'));
  const elsewhere = await connect(server.url, { name: 'Ann', anonymousId: annId.get(w)! });
  await request(elsewhere.socket, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, baseRevision: 3, changes: { editComment: { id: chat.id, text: 'fixed elsewhere' } } });
  elsewhere.socket.close();
  w.connection.start({ serverUrl: server.url, name: 'Ann' }, annId.get(w)!);
  await tab.until(() => tab.messages.some((m) => m.type === 'op-failed'), 'the edit to be refused', 15_000);
  expect(tab.messages.find((m) => m.type === 'op-failed')).toMatchObject({ error: { code: 'conflict' } });
  expect((await serverChat(url, chat.id))?.comments[0]?.text).toBe('fixed elsewhere');
});

it('after a switch to another account, the edits the previous one made are not taken for the new one\'s own: an edit made on a view from before them is refused', async () => {
  const alice = await issueToken(server, { tenant: 'acme', user: `alice-${randomUUID()}`, name: 'Alice' });
  const mia = await issueToken(server, { tenant: 'acme', user: `mia-${randomUUID()}`, name: 'Mia' });
  const { url, pageKey, w, tab, storage, chat } = await openPage(alice);
  // Mia replies from her own browser; only the revision can then stop her edit of that reply of hers.
  const reply = randomUUID();
  const other = await connect(server.url, { token: mia });
  await request(other.socket, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: reply, text: 'Mia replies' } } });
  other.socket.close();
  await tab.until(() => w.hub.pages.get(pageKey)?.view().get(chat.id)?.revision === 2, 'Mia\'s reply to reach the worker');
  w.hub.operation(tab, edit(chat.id, 2, 'Alice edits'));
  await tab.until(() => storage.outbox.size === 0, 'Alice\'s edit to be confirmed');

  await w.useSettings({ serverUrl: server.url, name: 'Mia', token: mia });
  await tab.until(() => tab.connection === 'live' && w.hub.pages.get(pageKey)?.view().get(chat.id)?.revision === 3, 'the page to be live again as Mia');
  // Mia's tab lags by a message: she edits her reply on revision 2, never having seen Alice's edit.
  w.hub.operation(tab, { ...edit(chat.id, 2, 'Mia edits'), changes: { editComment: { id: reply, text: 'Mia edits' } } });
  const page = w.hub.pages.get(pageKey)!;
  expect(page.ops).toHaveLength(1);
  await tab.until(() => page.ops.length === 0, 'Mia\'s edit to be answered');
  expect(tab.messages.find((m) => m.type === 'op-failed')).toMatchObject({ error: { code: 'conflict' } });
  expect((await serverChat(url, chat.id, alice))?.comments.map((c) => c.text)).toEqual(['Alice edits', 'Mia replies']);
});
