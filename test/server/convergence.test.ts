import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';
import { connect, request, typicalChat } from '../support/clients.js';
import { Replica } from '../support/replica.js';
import { seeded } from '../support/seeded.js';
import { pageSeq } from '../support/db.js';

let server: ServerProcess;
beforeAll(async () => {
  // Batching on with a low threshold, so batch frames take part in the random run too.
  server = await startServerProcess({ env: { GLOSS_BATCH_BUSY_PER_SECOND: '5', GLOSS_RATE_PER_SECOND: '1000', GLOSS_RATE_BURST: '1000' } });
});
afterAll(async () => server.stop());

/** The database's view of a page, in the shape Replica.view() gives. */
function truth(pageKey: string) {
  const db = new Database(server.dbPath, { readonly: true });
  try {
    const out: Record<string, { revision: number; resolved: boolean; comments: [string, string][] }> = {};
    for (const row of db.prepare('SELECT key, id, revision, resolved FROM conversations WHERE page_key = ? AND deleted_at IS NULL').all(pageKey) as { key: number; id: string; revision: number; resolved: number }[]) {
      const comments = db.prepare('SELECT id, text FROM comments WHERE conversation = ? AND deleted_at IS NULL ORDER BY n').all(row.key) as { id: string; text: string }[];
      out[row.id] = { revision: row.revision, resolved: row.resolved === 1, comments: comments.map((c) => [c.id, c.text]) };
    }
    const seq = pageSeq(db, pageKey);
    return { conversations: out, seq };
  } finally {
    db.close();
  }
}

it('two users editing the same comment on the same base revision: exactly one wins, the other gets conflict with the current state', async () => {
  const url = `https://example.com/race-${randomUUID()}`;
  const alice = await connect(server.url, { name: 'Alice' });
  const mod = alice; // the author edits from two connections: same permission, a true race on one revision
  const second = await connect(server.url, { name: 'Alice', anonymousId: alice.anonymousId });
  const chat = typicalChat(url);
  await request(alice.socket, 'text-chat:create', { broadcastId: randomUUID(), chat });
  const [a, b] = await Promise.all([
    request(mod.socket, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, baseRevision: 1, changes: { editComment: { id: chat.id, text: 'from the first tab' } } }),
    request(second.socket, 'text-chat:update', { broadcastId: randomUUID(), id: chat.id, baseRevision: 1, changes: { editComment: { id: chat.id, text: 'from the second tab' } } }),
  ]);
  const winners = [a, b].filter((r) => r.ok);
  const losers = [a, b].filter((r) => !r.ok);
  expect(winners).toHaveLength(1);
  expect(losers).toHaveLength(1);
  const won = winners[0] as { chat: { comments: { text: string }[] } };
  const lost = losers[0] as { error: { code: string; current: { revision: number; comments: { text: string }[] } } };
  expect(lost.error.code).toBe('conflict');
  expect(lost.error.current.revision).toBe(2);
  expect(lost.error.current.comments[0]!.text).toBe(won.chat.comments[0]!.text);
  const db = truth(url.replace('https://', ''));
  expect(db.conversations[chat.id]!.comments[0]![1]).toBe(won.chat.comments[0]!.text);
  alice.socket.close();
  second.socket.close();
});

it('an operation that changed nothing does not hide the change the page made meanwhile: its answer says unchanged, and the client fetches that change', async () => {
  const url = `https://example.com/unchanged-${randomUUID()}`;
  const pageKey = url.replace('https://', '');
  const ann = new Replica(server.url, url, 'Ann');
  const ben = new Replica(server.url, url, 'Ben');
  await Promise.all([ann.connect(), ben.connect()]);
  try {
    const first = { broadcastId: randomUUID(), chat: typicalChat(url) };
    const second = { broadcastId: randomUUID(), chat: typicalChat(url) };
    ann.ack(await ann.emit('text-chat:create', first), first.chat.id, 'upsert', first);
    ann.ack(await ann.emit('text-chat:create', second), second.chat.id, 'upsert', second);
    expect(ann.state.seq).toBe(2);
    // Ann stops receiving the page's broadcasts (her own answers still come), so Ben's change is one she has not seen.
    expect(await ann.emit('page:leave', { url })).toMatchObject({ ok: true });
    const comment = await ben.emit('text-chat:update', { broadcastId: randomUUID(), id: first.chat.id, changes: { addComment: { id: randomUUID(), text: 'from Ben' } } });
    expect(comment).toMatchObject({ ok: true, seq: 3 });
    // Ann resolves the second conversation to what it already is: nothing changes, and seq 3 is Ben's.
    const noop = await ann.emit('text-chat:update', { broadcastId: randomUUID(), id: second.chat.id, changes: { resolved: false } });
    expect(noop).toMatchObject({ ok: true, seq: 3, unchanged: true });
    ann.ack(noop, second.chat.id, 'upsert');
    await ann.sync();
    expect(ann.state.seq).toBe(3);
    expect(ann.view()).toEqual(truth(pageKey).conversations);
    expect(ann.view()[first.chat.id]!.comments.map(([, text]) => text)).toContain('from Ben');

    // A create and a delete sent again say so too; a repeated delete keeps the seq of the deletion.
    expect(await ann.emit('text-chat:create', second)).toMatchObject({ ok: true, seq: 3, duplicate: true });
    const removed = await ann.emit('text-chat:delete', { broadcastId: randomUUID(), id: first.chat.id });
    expect(removed).toEqual({ ok: true, seq: 4 });
    expect(await ann.emit('text-chat:delete', { broadcastId: randomUUID(), id: first.chat.id })).toEqual({ ok: true, seq: 4, unchanged: true });
  } finally {
    ann.disconnect();
    ben.disconnect();
  }
});

it('random operations with connections cut and restored at random converge: every client equals the database', async () => {
  const seed = Number(process.env.GLOSS_SEED ?? 20261123);
  const rng = seeded(seed);
  const pageUrl = `https://example.com/property-${seed}-${randomUUID()}`;
  const pageKey = pageUrl.replace('https://', '');
  const clients = ['Ann', 'Ben', 'Cem', 'Dia'].map((n) => new Replica(server.url, pageUrl, n));
  await Promise.all(clients.map((c) => c.connect()));
  const users = await Promise.all(clients.map((c) => c.userId));
  const STEPS = 400;
  const log: string[] = [];
  try {
    for (let step = 0; step < STEPS; step++) {
      // Up to three clients act at once, so operations really race on the server.
      const actors = Array.from({ length: 1 + rng.int(3) }, () => rng.int(clients.length));
      await Promise.all(
        actors.map(async (i) => {
          const c = clients[i]!;
          const roll = rng.next();
          if (!c.connected) {
            if (roll < 0.5) {
              log.push(`${step} ${c.name} reconnect`);
              await c.connect();
            }
            return;
          }
          if (roll < 0.06) {
            log.push(`${step} ${c.name} cut`);
            c.disconnect();
            return;
          }
          const ids = Object.keys(c.state.conversations);
          const mine = ids.filter((id) => c.state.conversations[id]!.author.id === users[i]);
          const target = rng.pick(ids);
          const cutAfterSend = rng.next() < 0.08;
          let op: Promise<unknown>;
          if (roll < 0.3 || !target) {
            const create = { broadcastId: randomUUID(), chat: typicalChat(pageUrl) };
            log.push(`${step} ${c.name} create ${create.chat.id.slice(0, 8)}`);
            op = c.emit('text-chat:create', create).then((r) => c.ack(r, create.chat.id, 'upsert', create));
          } else if (roll < 0.55) {
            log.push(`${step} ${c.name} comment ${target.slice(0, 8)}`);
            op = c.emit('text-chat:update', { broadcastId: randomUUID(), id: target, changes: { addComment: { id: randomUUID(), text: `c${step}` } } }).then((r) => c.ack(r, target, 'upsert'));
          } else if (roll < 0.7) {
            const chat = c.state.conversations[target]!;
            log.push(`${step} ${c.name} edit ${target.slice(0, 8)}`);
            op = c
              .emit('text-chat:update', { broadcastId: randomUUID(), id: target, baseRevision: chat.revision, changes: { editComment: { id: target, text: `e${step}` } } })
              .then((r) => c.ack(r, target, 'upsert'));
          } else if (roll < 0.8) {
            const chat = c.state.conversations[target]!;
            log.push(`${step} ${c.name} resolve ${target.slice(0, 8)}`);
            op = c.emit('text-chat:update', { broadcastId: randomUUID(), id: target, changes: { resolved: !chat.resolved } }).then((r) => c.ack(r, target, 'upsert'));
          } else if (roll < 0.87) {
            // Usually a no-op: its answer carries the page's seq, often a change still held in a batch for us.
            const chat = c.state.conversations[target]!;
            log.push(`${step} ${c.name} resolve-same ${target.slice(0, 8)}`);
            op = c.emit('text-chat:update', { broadcastId: randomUUID(), id: target, changes: { resolved: chat.resolved } }).then((r) => c.ack(r, target, 'upsert'));
          } else {
            const victim = rng.pick(mine) ?? target;
            log.push(`${step} ${c.name} delete ${victim.slice(0, 8)}`);
            op = c.emit('text-chat:delete', { broadcastId: randomUUID(), id: victim }).then((r) => c.ack(r, victim, 'remove'));
          }
          // Cutting right after sending loses the acknowledgement; the server may or may not have the change.
          if (cutAfterSend) {
            log.push(`${step} ${c.name} cut-after-send`);
            c.disconnect();
          }
          await op;
        }),
      );
    }
    // Everyone back online; then each client catches up to the database's seq.
    for (const c of clients) if (!c.connected) await c.connect();
    const expected = truth(pageKey);
    for (const c of clients) {
      const deadline = Date.now() + 5_000;
      while (c.state.seq !== expected.seq && Date.now() < deadline) await c.sync();
      expect({ client: c.name, seq: c.state.seq }).toEqual({ client: c.name, seq: expected.seq });
      expect(c.view()).toEqual(expected.conversations);
    }
    expect(Object.keys(expected.conversations).length).toBeGreaterThan(0);
    if (process.env.GLOSS_VERBOSE) console.log(`seed ${seed}: seq ${expected.seq}, ${Object.keys(expected.conversations).length} live conversations, ${log.filter((l) => l.includes("cut")).length} cuts`);
  } catch (err) {
    console.error(`convergence failed with GLOSS_SEED=${seed}; last steps:\n${log.slice(-30).join('\n')}`);
    throw err;
  } finally {
    for (const c of clients) c.disconnect();
  }
});
