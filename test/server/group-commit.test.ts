import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request, typicalChat } from '../support/clients.js';
import { pageSeqs } from '../support/db.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { GLOSS_RATE_PER_SECOND: '1000', GLOSS_RATE_BURST: '1000' } });
});
afterAll(async () => server.stop());

/**
 * The server commits the operations that arrive in one event-loop turn together (group commit).
 * Sent back to back, without waiting, these arrive together: the refused ones must leave no trace
 * (not even a seq), the accepted ones get consecutive seqs, and each answer keeps its order.
 */
it('operations sent back to back: answers in order, refused ones leave nothing, seqs stay gap-free', async () => {
  const url = `https://example.com/group-${randomUUID()}`;
  const { socket } = await connect(server.url, { name: 'Burst' });
  const a = typicalChat(url);
  const b = typicalChat(url);
  const answers = await Promise.all([
    request(socket, 'text-chat:create', { broadcastId: randomUUID(), chat: a }),
    request(socket, 'text-chat:update', { broadcastId: randomUUID(), id: randomUUID(), changes: { resolved: true } }),
    request(socket, 'text-chat:create', { broadcastId: randomUUID(), chat: { ...a, text: 'same id, other text' } }),
    request(socket, 'page:sync', { url, sinceSeq: 0 }),
    request(socket, 'text-chat:update', { broadcastId: randomUUID(), id: a.id, changes: { resolved: true } }),
    request(socket, 'text-chat:create', { broadcastId: randomUUID(), chat: b }),
    request(socket, 'text-chat:delete', { broadcastId: randomUUID(), id: b.id }),
  ]);
  expect(answers[0]).toMatchObject({ ok: true, seq: 1 });
  expect(answers[1]).toMatchObject({ ok: false, error: { code: 'not_found' } });
  expect(answers[2]).toMatchObject({ ok: false, error: { code: 'conflict' } });
  // The read sent after the first create sees it, and nothing sent after the read.
  expect(answers[3]).toMatchObject({ ok: true, seq: 1, changes: [{ type: 'new-text-chat', seq: 1, id: a.id }] });
  expect(answers[4]).toMatchObject({ ok: true, seq: 2, revision: 2 });
  expect(answers[5]).toMatchObject({ ok: true, seq: 3 });
  expect(answers[6]).toEqual({ ok: true, seq: 4 });

  const db = new Database(server.dbPath, { readonly: true });
  try {
    const pageKey = url.replace('https://', '');
    expect(pageSeqs(db, pageKey)).toEqual([1, 2, 3, 4]);
    expect(db.prepare('SELECT c.text FROM comments c JOIN conversations v ON v.key = c.conversation WHERE v.id = ?').all(a.id)).toEqual([{ text: a.text }]);
  } finally {
    db.close();
  }
  socket.close();
});
