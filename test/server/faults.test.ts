import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import type { CreateRequest } from '../../protocol/events.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { typicalChat } from '../support/clients.js';
import { dbState } from '../support/db.js';
import { Replica } from '../support/replica.js';
import { startAckDroppingProxy } from '../support/ack-dropping-proxy.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess({ env: { GLOSS_RATE_PER_SECOND: '1000', GLOSS_RATE_BURST: '1000' } });
});
afterAll(async () => server.stop());

it('a client offline while peers create, comment and delete 100 times receives exactly those changes once, in order, within 2 s', async () => {
  // Injects: the reader disconnects; two peers make 100 changes. Checks: its rejoin with sinceSeq
  // replays exactly those 100 seqs in order, a deleted conversation disappears, and the state equals the database.
  const pageUrl = `https://example.com/offline-${randomUUID()}`;
  const reader = new Replica(server.url, pageUrl, 'Reader');
  const peers = [new Replica(server.url, pageUrl, 'P1'), new Replica(server.url, pageUrl, 'P2')];
  await Promise.all([reader, ...peers].map((r) => r.connect()));
  const seed = typicalChat(pageUrl);
  const seeding = { broadcastId: randomUUID(), chat: seed };
  peers[0]!.ack(await peers[0]!.emit('text-chat:create', seeding), seed.id, 'upsert', seeding);
  // The reader has the seed once its broadcast arrives: awaited, not given a fixed 100 ms.
  await vi.waitFor(() => expect(Object.keys(reader.state.conversations)).toEqual([seed.id]), { timeout: 10_000, interval: 10 });
  const from = reader.state.seq!;
  reader.disconnect();

  const doomed: string[] = [];
  let made = 0;
  while (made < 100) {
    const p = peers[made % 2]!;
    const kind = made % 5;
    if (kind === 4 && doomed.length > 0) {
      const id = doomed.pop()!;
      p.ack(await p.emit('text-chat:delete', { broadcastId: randomUUID(), id }), id, 'remove');
    } else if (kind % 2 === 0) {
      const create = { broadcastId: randomUUID(), chat: typicalChat(pageUrl) };
      const { chat } = create;
      p.ack(await p.emit('text-chat:create', create), chat.id, 'upsert', create);
      doomed.push(chat.id);
    } else {
      p.ack(await p.emit('text-chat:update', { broadcastId: randomUUID(), id: seed.id, changes: { addComment: { id: randomUUID(), text: `n${made}` } } }), seed.id, 'upsert');
    }
    made += 1;
  }
  const started = performance.now();
  await reader.connect();
  const elapsed = performance.now() - started;
  const replayed = (reader.lastSync as { changes?: { seq: number }[] }).changes;
  expect(replayed?.map((c) => c.seq)).toEqual(Array.from({ length: 100 }, (_, i) => from + 1 + i));
  expect(reader.state.seq).toBe(from + 100);
  expect(elapsed).toBeLessThan(2_000);
  const pageKey = pageUrl.replace('https://', '');
  const truth = new Replica(server.url, pageUrl, 'Truth');
  await truth.connect();
  expect(truth.lastSync).toMatchObject({ pageKey, seq: from + 100 });
  expect(reader.view()).toEqual(truth.view());
  truth.disconnect();
  const deleted = dbState(server.dbPath).rows.filter((r) => r.deleted).map((r) => r.id);
  expect(deleted.length).toBeGreaterThan(0);
  for (const id of deleted) expect(reader.state.conversations[id]).toBeUndefined();
  for (const r of [reader, ...peers]) r.disconnect();
});

it('acknowledgements dropped right after the commit: retries make no duplicate conversation or comment', async () => {
  // Injects: a proxy that cuts the connection as the server's ack passes. Checks: the client's retry
  // with the same ids after reconnecting is answered as a duplicate, and the database has each once.
  const proxy = await startAckDroppingProxy(server.port);
  const pageUrl = `https://example.com/acks-${randomUUID()}`;
  const client = new Replica(proxy.url, pageUrl, 'Retrier');
  await client.connect();
  const before = dbState(server.dbPath);
  const chats = Array.from({ length: 5 }, () => typicalChat(pageUrl));
  const comments = chats.map(() => randomUUID());
  const retry = async (event: string, payload: Record<string, unknown>, id: string) => {
    for (let attempt = 0; attempt < 5; attempt++) {
      if (!client.connected) await client.connect();
      const res = await client.emit(event, payload);
      if (res) return client.ack(res, id, 'upsert', event === 'text-chat:create' ? (payload as CreateRequest) : undefined), res;
    }
    throw new Error('no answer after 5 attempts');
  };
  for (const [i, chat] of chats.entries()) {
    proxy.dropNextAcks(1);
    const created = await retry('text-chat:create', { broadcastId: randomUUID(), chat }, chat.id);
    expect(created).toMatchObject({ ok: true, duplicate: true });
    proxy.dropNextAcks(1);
    const commented = await retry('text-chat:update', { broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: comments[i]!, text: 'once' } } }, chat.id);
    expect(commented).toMatchObject({ ok: true, revision: 2 });
  }
  expect(proxy.dropped).toBe(10);
  const after = dbState(server.dbPath);
  expect(after.liveConversations - before.liveConversations).toBe(5);
  expect(after.comments - before.comments).toBe(10);
  await client.sync();
  for (const chat of chats) expect(client.state.conversations[chat.id]!.comments.map((c) => c.text)).toEqual([chat.text, 'once']);
  client.disconnect();
  await proxy.close();
});
