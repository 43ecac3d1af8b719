import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startAckDroppingProxy } from '../support/ack-dropping-proxy.js';
import { connect, request, typicalChat, type TestSocket } from '../support/clients.js';
import { dbState } from '../support/db.js';
import { issueToken, startServerProcess, type ServerProcess } from '../support/server-process.js';

let server: ServerProcess;
let alice: string;
let bob: string;
beforeAll(async () => {
  server = await startServerProcess();
  [alice, bob] = await Promise.all([
    issueToken(server, { tenant: 'acme', user: 'alice', name: 'Alice' }),
    issueToken(server, { tenant: 'acme', user: 'bob', name: 'Bob' }),
  ]);
});
afterAll(async () => server.stop());

/** Resolves when the socket is cut (the proxy drops the connection as the acknowledgement passes). */
const cut = (socket: TestSocket) => new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));

it('a create retried after its lost acknowledgement succeeds although its author edited its text from another browser in between', async () => {
  const url = `https://example.com/moderated-${randomUUID()}`;
  const proxy = await startAckDroppingProxy(server.port);
  const sockets: TestSocket[] = [];
  try {
    const first = await connect(proxy.url, { token: alice });
    await request(first.socket, 'page:join', { url });
    const chat = typicalChat(url);
    // As the extension sends it: the conversation id is the create's broadcastId.
    const create = { broadcastId: chat.id, chat };
    proxy.dropNextAcks(1);
    const gone = cut(first.socket);
    first.socket.emit('text-chat:create', create, () => {
      throw new Error('the acknowledgement was to be lost');
    });
    await gone;
    expect(proxy.dropped).toBe(1);

    // Stored, so her other browser shows it: she edits its opening comment there before this one is back
    // (only its author may edit it: a moderator is refused, moderator-edit.test.ts).
    const otherBrowser = await connect(server.url, { token: alice });
    sockets.push(otherBrowser.socket);
    const edit = { broadcastId: randomUUID(), id: chat.id, changes: { editComment: { id: chat.id, text: 'Removed a personal detail.' } } };
    expect(await request(otherBrowser.socket, 'text-chat:update', edit)).toMatchObject({ ok: true, revision: 2 });

    const back = await connect(proxy.url, { token: alice });
    sockets.push(back.socket);
    await request(back.socket, 'page:join', { url, sinceSeq: 0 });
    const retried = await request(back.socket, 'text-chat:create', create);
    expect(retried).toMatchObject({
      ok: true,
      duplicate: true,
      seq: 2,
      chat: { id: chat.id, revision: 2, author: { id: 'alice' }, comments: [{ id: chat.id, text: 'Removed a personal detail.' }] },
    });

    // Real conflicts stay refused: another user's create under that id, and the author's own other create (another broadcastId).
    const other = await connect(server.url, { token: bob });
    sockets.push(other.socket);
    expect(await request(other.socket, 'text-chat:create', create)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const rewritten = { broadcastId: randomUUID(), chat: { ...chat, text: 'Another conversation entirely.' } };
    expect(await request(back.socket, 'text-chat:create', rewritten)).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Nor is another page or quote under that id the same create, whatever its broadcastId.
    const elsewhere = { ...create, chat: { ...chat, url: `${url}-elsewhere` } };
    expect(await request(back.socket, 'text-chat:create', elsewhere)).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const rows = dbState(server.dbPath).rows.filter((r) => r.id === chat.id);
    expect(rows).toEqual([{ id: chat.id, revision: 2, deleted: 0 }]);
    const snapshot = await request(other.socket, 'page:join', { url });
    expect(snapshot).toMatchObject({ ok: true, seq: 2, conversations: [{ id: chat.id, comments: [{ text: 'Removed a personal detail.' }] }] });
  } finally {
    // The proxy closes only once its connections have.
    for (const socket of sockets) socket.close();
    await proxy.close();
  }
});

it('a create whose text differs from the stored, never edited, text is a conflict even with the same broadcastId', async () => {
  const url = `https://example.com/unedited-${randomUUID()}`;
  const author = await connect(server.url, { token: alice });
  const chat = typicalChat(url);
  expect(await request(author.socket, 'text-chat:create', { broadcastId: chat.id, chat })).toMatchObject({ ok: true, seq: 1 });
  const changed = { broadcastId: chat.id, chat: { ...chat, text: 'Not what was stored.' } };
  expect(await request(author.socket, 'text-chat:create', changed)).toMatchObject({ ok: false, error: { code: 'conflict' } });
  author.socket.close();
});
