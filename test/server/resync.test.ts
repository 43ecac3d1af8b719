import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request, typicalChat } from '../support/clients.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess();
});
afterAll(async () => server.stop());

it('a client that missed three changes (one a delete) gets exactly those three on rejoin with sinceSeq', async () => {
  const url = `https://example.com/resync-${randomUUID()}`;
  const writer = await connect(server.url, { name: 'Writer' });
  const reader = await connect(server.url, { name: 'Reader' });
  await request(writer.socket, 'page:join', { url });
  const keep = typicalChat(url);
  const doomed = typicalChat(url);
  await request(writer.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: keep });
  await request(writer.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: doomed });
  const joined = await request(reader.socket, 'page:join', { url });
  expect(joined).toMatchObject({ ok: true, seq: 2 });
  reader.socket.close();

  // Missed while away: a new conversation, a comment, a delete.
  const third = typicalChat(url);
  const b = [randomUUID(), randomUUID(), randomUUID()];
  await request(writer.socket, 'text-chat:create', { broadcastId: b[0], chat: third });
  await request(writer.socket, 'text-chat:update', { broadcastId: b[1], id: keep.id, changes: { addComment: { id: randomUUID(), text: 'later' } } });
  await request(writer.socket, 'text-chat:delete', { broadcastId: b[2], id: doomed.id });

  const back = await connect(server.url, { name: 'Reader', anonymousId: reader.anonymousId });
  const rejoin = await request(back.socket, 'page:join', { url, sinceSeq: 2 });
  expect(rejoin.ok).toBe(true);
  if (!rejoin.ok || !('changes' in rejoin)) throw new Error('expected changes');
  expect(rejoin.seq).toBe(5);
  expect(rejoin.changes.map((c) => [c.type, c.seq, c.id, c.broadcastId])).toEqual([
    ['new-text-chat', 3, third.id, b[0]],
    ['updated-text-chat', 4, keep.id, b[1]],
    ['deleted-text-chat', 5, doomed.id, b[2]],
  ]);

  // page:sync answers the same without joining, and nothing after the latest seq.
  const sync = await request(back.socket, 'page:sync', { url, sinceSeq: 4 });
  expect(sync).toMatchObject({ ok: true, seq: 5, changes: [{ type: 'deleted-text-chat', seq: 5 }] });
  expect(await request(back.socket, 'page:sync', { url, sinceSeq: 5 })).toMatchObject({ ok: true, seq: 5, changes: [] });
  writer.socket.close();
  back.socket.close();
});

it('answers a sinceSeq it cannot replay (ahead of the page) with a flagged snapshot', async () => {
  const url = `https://example.com/reset-${randomUUID()}`;
  const c = await connect(server.url);
  const chat = typicalChat(url);
  await request(c.socket, 'text-chat:create', { broadcastId: randomUUID(), chat });
  const res = await request(c.socket, 'page:join', { url, sinceSeq: 99 });
  expect(res).toMatchObject({ ok: true, seq: 1, reset: true, conversations: [{ id: chat.id }] });
  c.socket.close();
});
