import { randomUUID } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request, typicalChat } from '../support/clients.js';

let server: ServerProcess | undefined;
afterAll(async () => server?.stop());

it('keeps every conversation, comment, deletion and the page seq across a restart', async () => {
  server = await startServerProcess();
  const url = `https://example.com/restart-${randomUUID()}`;
  const a = await connect(server.url, { name: 'A' });
  const chats = [typicalChat(url), typicalChat(url), typicalChat(url)];
  for (const chat of chats) await request(a.socket, 'text-chat:create', { broadcastId: randomUUID(), chat });
  await request(a.socket, 'text-chat:update', { broadcastId: randomUUID(), id: chats[0]!.id, changes: { addComment: { id: randomUUID(), text: 'kept' } } });
  await request(a.socket, 'text-chat:delete', { broadcastId: randomUUID(), id: chats[2]!.id });
  const before = await request(a.socket, 'page:join', { url });
  a.socket.close();
  const dbPath = server.dbPath;
  await server.stop();

  server = await startServerProcess({ dbPath });
  const b = await connect(server.url, { name: 'B' });
  const after = await request(b.socket, 'page:join', { url });
  expect(after).toEqual({ ...before, users: [{ id: b.session.user.id, name: 'B' }] });
  expect(after).toMatchObject({ ok: true, seq: 5 });
  if (!after.ok || !('conversations' in after)) throw new Error('expected a snapshot');
  expect(after.conversations.map((c) => c.id)).toEqual([chats[0]!.id, chats[1]!.id]);
  expect(after.conversations[0]!.comments.map((c) => c.text)).toEqual([chats[0]!.text, 'kept']);
  // The next change continues the page's seq, and the deleted one stays deleted.
  expect(await request(b.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: typicalChat(url) })).toMatchObject({ ok: true, seq: 6 });
  expect(await request(b.socket, 'text-chat:create', { broadcastId: randomUUID(), chat: chats[2]! })).toMatchObject({ ok: false, error: { code: 'gone' } });
  b.socket.close();
});
