import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueToken, startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request, typicalChat } from '../support/clients.js';
import { dbState } from '../support/db.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

it("refuses a non-author's edit and delete, lets anyone comment and resolve, and lets a moderator delete but not edit", async () => {
  const [aliceT, bobT, modT] = await Promise.all([
    issueToken(server, { tenant: 'acme', user: 'alice', name: 'Alice' }),
    issueToken(server, { tenant: 'acme', user: 'bob', name: 'Bob' }),
    issueToken(server, { tenant: 'acme', user: 'mia', name: 'Mia', role: 'moderator' }),
  ]);
  const alice = (await connect(server.url, { token: aliceT })).socket;
  const bob = (await connect(server.url, { token: bobT })).socket;
  const mod = (await connect(server.url, { token: modT })).socket;
  const url = `https://example.com/authors-${randomUUID()}`;
  const chat = typicalChat(url);
  await request(alice, 'text-chat:create', { broadcastId: randomUUID(), chat });
  const before = dbState(server.dbPath);

  const refused = [
    await request(bob, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { editComment: { id: chat.id, text: 'hijacked' } } }),
    await request(bob, 'text-chat:delete', { broadcastId: randomUUID(), id: chat.id }),
  ];
  for (const r of refused) expect(r).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(dbState(server.dbPath)).toEqual(before);

  const bobComment = randomUUID();
  expect(await request(bob, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: bobComment, text: 'mine' } } })).toMatchObject({ ok: true, revision: 2 });
  expect(await request(alice, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { deleteComment: { id: bobComment } } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await request(bob, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { resolved: true } })).toMatchObject({ ok: true, revision: 3 });
  // The opening comment is the conversation: it goes only with the conversation.
  expect(await request(alice, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { deleteComment: { id: chat.id } } })).toMatchObject({ ok: false, error: { code: 'invalid' } });

  // A moderator removes others' words but does not rewrite them (moderator-edit.test.ts).
  expect(await request(mod, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { editComment: { id: bobComment, text: 'moderated' } } })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  expect(await request(mod, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { deleteComment: { id: bobComment } } })).toMatchObject({ ok: true, revision: 4 });
  expect(await request(mod, 'text-chat:delete', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: true });
  expect(await request(alice, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { resolved: false } })).toMatchObject({ ok: false, error: { code: 'gone' } });
  for (const s of [alice, bob, mod]) s.close();
});

it('on a stale baseRevision answers conflict with the current conversation and changes nothing', async () => {
  const url = `https://example.com/conflict-${randomUUID()}`;
  const a = (await connect(server.url, { name: 'A' })).socket;
  const chat = typicalChat(url);
  await request(a, 'text-chat:create', { broadcastId: randomUUID(), chat });
  expect(await request(a, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, baseRevision: 1, changes: { editComment: { id: chat.id, text: 'first edit' } } })).toMatchObject({ ok: true, revision: 2 });
  const before = dbState(server.dbPath);
  const stale = await request(a, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, baseRevision: 1, changes: { editComment: { id: chat.id, text: 'second edit' } } });
  expect(stale).toMatchObject({ ok: false, error: { code: 'conflict', current: { id: chat.id, revision: 2, comments: [{ text: 'first edit' }] } } });
  expect(dbState(server.dbPath)).toEqual(before);
  a.close();
});
