import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Conversation } from '../../protocol/model.js';
import { connect, recorder, request, typicalChat, type TestSocket } from '../support/clients.js';
import { dbState } from '../support/db.js';
import { issueToken, startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * A moderator removes but does not rewrite (server/domain/policy.ts; docs/architecture.md,
 * "Moderators"): the real server process, real moderator and member tokens, real sockets.
 */

let server: ServerProcess;
let aliceT: string;
let bobT: string;
let miaT: string;
beforeAll(async () => {
  server = await startServerProcess();
  [aliceT, bobT, miaT] = await Promise.all([
    issueToken(server, { tenant: 'acme', user: 'alice', name: 'Alice' }),
    issueToken(server, { tenant: 'acme', user: 'bob', name: 'Bob' }),
    issueToken(server, { tenant: 'acme', user: 'mia', name: 'Mia', role: 'moderator' }),
  ]);
});
afterAll(async () => server.stop());

const sockets: TestSocket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
});
async function socketOf(token: string): Promise<TestSocket> {
  const { socket } = await connect(server.url, { token });
  sockets.push(socket);
  return socket;
}

/** Alice's conversation on a fresh page with a reply of hers, and Bob in the page's room, recording what it hears. */
async function alicesThread() {
  const [alice, bob, mia] = await Promise.all([socketOf(aliceT), socketOf(bobT), socketOf(miaT)]);
  const url = `https://example.com/moderated-${randomUUID()}`;
  const chat = typicalChat(url);
  const reply = randomUUID();
  expect(await request(alice, 'text-chat:create', { broadcastId: chat.id, chat })).toMatchObject({ ok: true });
  expect(await request(alice, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: reply, text: 'Alice replies.' } } })).toMatchObject({ ok: true, revision: 2 });
  await request(bob, 'page:join', { url });
  const heard = recorder(bob);
  // The conversations' changes Bob heard; who joins the page (presence) is not one.
  const changes = () => heard.events.filter((e) => e.event !== 'presence');
  return { alice, mia, url, chat, reply, heard, changes };
}

async function storedChat(socket: TestSocket, url: string, id: string): Promise<Conversation | undefined> {
  const answer = (await request(socket, 'page:join', { url })) as { conversations: Conversation[] };
  return answer.conversations.find((c) => c.id === id);
}

it("a moderator's edit of a member's opening comment or reply is refused forbidden and changes nothing: no stored text, no broadcast, no seq", async () => {
  const { alice, mia, url, chat, reply, heard, changes } = await alicesThread();
  const before = dbState(server.dbPath);
  const edits = [
    { id: chat.id, text: 'Mia rewrites the opening comment.' },
    { id: reply, text: 'Mia rewrites the reply.' },
    // The same words again would change nothing, but they are still not hers to save.
    { id: reply, text: 'Alice replies.' },
  ];
  for (const edit of edits) {
    // On the current revision: nothing but the rule stands in the way.
    const answer = await request(mia, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, baseRevision: 2, changes: { editComment: edit } });
    expect(answer, JSON.stringify(edit)).toMatchObject({ ok: false, error: { code: 'forbidden', message: expect.stringContaining('only its author may edit') } });
  }
  // The file: no comment text, revision, change-log entry or seq written.
  expect(dbState(server.dbPath)).toEqual(before);
  const stored = await storedChat(mia, url, chat.id);
  expect(stored?.revision).toBe(2);
  expect(stored?.comments.map((c) => [c.text, c.editedAt ?? null])).toEqual([
    [chat.text, null],
    ['Alice replies.', null],
  ]);

  // The author's own edit goes in. Bob hears it first: broadcasts of one page reach a socket in the
  // order the server made them, so a refused edit that had been broadcast would have come before it.
  const own = await request(alice, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, baseRevision: 2, changes: { editComment: { id: reply, text: 'Alice fixes her reply.' } } });
  expect(own).toMatchObject({ ok: true, revision: 3, seq: 3 });
  await heard.until(() => changes().length > 0, 5_000, "Alice's edit to be broadcast");
  expect(changes()).toEqual([
    { event: 'updated-text-chat', payload: expect.objectContaining({ id: chat.id, revision: 3, seq: 3, by: { id: 'alice', name: 'Alice' }, editComment: expect.objectContaining({ id: reply, text: 'Alice fixes her reply.' }) }) },
  ]);
  expect((await storedChat(mia, url, chat.id))?.comments.map((c) => c.text)).toEqual([chat.text, 'Alice fixes her reply.']);
});

it("a moderator edits her own reply, and deletes a member's reply and conversation, and restores it", async () => {
  const { mia, url, chat, reply, heard, changes } = await alicesThread();
  const hers = randomUUID();
  expect(await request(mia, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: hers, text: 'Mia asks.' } } })).toMatchObject({ ok: true, revision: 3 });
  expect(await request(mia, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { editComment: { id: hers, text: 'Mia asks again.' } } })).toMatchObject({ ok: true, revision: 4 });

  expect(await request(mia, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { deleteComment: { id: reply } } })).toMatchObject({ ok: true, revision: 5, seq: 5 });
  expect((await storedChat(mia, url, chat.id))?.comments.map((c) => c.text)).toEqual([chat.text, 'Mia asks again.']);
  expect(await request(mia, 'text-chat:delete', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: true, seq: 6 });
  expect(await storedChat(mia, url, chat.id)).toBeUndefined();
  expect(await request(mia, 'text-chat:restore', { broadcastId: randomUUID(), id: chat.id })).toMatchObject({ ok: true, seq: 7, chat: { id: chat.id, author: { id: 'alice' } } });

  await heard.until(() => changes().length >= 5, 5_000, 'the five changes to be broadcast');
  expect(changes().map((e) => [e.event, e.payload.seq])).toEqual([
    ['updated-text-chat', 3],
    ['updated-text-chat', 4],
    ['updated-text-chat', 5],
    ['deleted-text-chat', 6],
    ['new-text-chat', 7],
  ]);
});
