import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import { migrate } from '../../server/store/schema.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { typicalChat } from '../support/clients.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const PAGE = 'example.com/migrated';
const OTHER = 'example.com/other';
const target = JSON.stringify({ selector: [{ type: 'TextQuoteSelector', exact: 'quoted' }] });
const ids = { a: '00000000-0000-4000-8000-00000000000a', b: '00000000-0000-4000-8000-00000000000b' };
/** The author of every row these tests write. */
const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;
const comment = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

/** A database file as a Gloss of schema `step` left it, with the public tenant. */
function databaseAt(step: number): { file: string; old: Database.Database } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-migration-'));
  dirs.push(dir);
  const file = path.join(dir, 'gloss.sqlite');
  const old = new Database(file);
  migrate(old, step);
  old.prepare("INSERT INTO tenants VALUES ('public', 0)").run();
  return { file, old };
}

/**
 * A database written by the first schema (comments ordered by rowid, change log clustered by page)
 * keeps every conversation, thread order, deletion and change through the second, and through the
 * third its change log stays replayable page by page (each page's changes chained, schema.ts).
 */
it('migrations 2 and 3 keep threads in order and each page\'s change log replayable', () => {
  const { file, old } = databaseAt(1);
  old.prepare(`INSERT INTO pages VALUES ('public', ?, 3, 0)`).run(PAGE);
  const conv = old.prepare(`INSERT INTO conversations (id, tenant, page_key, target, author_id, author_name, created_at, revision, resolved) VALUES (?, 'public', ?, ?, 'u1', 'Ann', ?, ?, 0)`);
  conv.run(ids.b, PAGE, target, 100, 3);
  conv.run(ids.a, PAGE, target, 200, 1);
  const add = old.prepare(`INSERT INTO comments (id, conversation_id, author_id, author_name, text, created_at, deleted_at) VALUES (?, ?, 'u1', 'Ann', ?, 1, ?)`);
  // Ids deliberately out of order: the thread's order is the insertion order, not the ids'.
  add.run(ids.b, ids.b, 'first', null);
  add.run(comment(9), ids.b, 'second', null);
  add.run(comment(3), ids.b, 'removed', 5);
  add.run(comment(1), ids.b, 'third', null);
  add.run(ids.a, ids.a, 'other', null);
  const change = old.prepare(`INSERT INTO changes VALUES ('public', ?, ?, ?, ?)`);
  // Two pages' changes interleaved in time, as they are in a busy log.
  old.prepare(`INSERT INTO pages VALUES ('public', ?, 2, 0)`).run(OTHER);
  for (const seq of [1, 2, 3]) {
    change.run(PAGE, seq, seq * 10, JSON.stringify({ type: 'deleted-text-chat', broadcastId: comment(50 + seq), seq, id: comment(60 + seq) }));
    if (seq < 3) change.run(OTHER, seq, seq * 10 + 1, JSON.stringify({ type: 'deleted-text-chat', broadcastId: comment(40 + seq), seq, id: comment(30 + seq) }));
  }
  old.close();

  const store = new SqliteStore(file);
  try {
    const snap = store.snapshot('public', PAGE);
    expect(snap.seq).toBe(3);
    expect(snap.conversations.map((c) => c.id)).toEqual([ids.b, ids.a]);
    expect(snap.conversations[0]!.comments.map((c) => c.text)).toEqual(['first', 'second', 'third']);
    const sync = store.changesSince('public', PAGE, 1);
    expect('changes' in sync && sync.changes.map((c) => c.seq)).toEqual([2, 3]);
    // The next comment goes after the existing ones, deleted one included.
    store.update(who, { broadcastId: comment(70), id: ids.b, changes: { addComment: { id: comment(80), text: 'fourth' } } }, 300);
    expect(store.snapshot('public', PAGE).conversations[0]!.comments.map((c) => c.text)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(store.changesSince('public', PAGE, 3)).toMatchObject({ seq: 4, changes: [{ type: 'updated-text-chat', seq: 4, addComment: { id: comment(80) } }] });
    // The chain runs from the new change back through the migrated ones, and never into the other page.
    const all = store.changesSince('public', PAGE, 0);
    expect('changes' in all && all.changes.map((c) => [c.seq, 'id' in c && c.id])).toEqual([
      [1, comment(61)],
      [2, comment(62)],
      [3, comment(63)],
      [4, ids.b],
    ]);
    const other = store.changesSince('public', OTHER, 0);
    expect('changes' in other && other.changes.map((c) => [c.seq, 'id' in c && c.id])).toEqual([
      [1, comment(31)],
      [2, comment(32)],
    ]);
  } finally {
    store.close();
  }
});

/**
 * Migration 4 files each thread under its conversation's new integer key: every thread keeps its
 * comments, their order, edits and deletions; the references hold; a conversation created after it
 * is appended behind the migrated ones; and removing a tombstone still takes its thread with it.
 */
it('migration 4 keeps every thread whole under its conversation\'s key', () => {
  const { file, old } = databaseAt(3);
  old.prepare(`INSERT INTO pages (tenant, page_key, seq, min_seq) VALUES ('public', ?, 3, 0)`).run(PAGE);
  const conv = old.prepare(
    `INSERT INTO conversations (id, tenant, page_key, target, author_id, author_name, created_at, revision, resolved, deleted_at, deleted_seq) VALUES (?, 'public', ?, ?, 'u1', 'Ann', ?, ?, ?, ?, ?)`,
  );
  const gone = comment(99);
  conv.run(ids.b, PAGE, target, 100, 3, 1, null, null);
  conv.run(ids.a, PAGE, target, 200, 1, 0, null, null);
  // A tombstone: its thread was dropped with it, the row stays for late updates.
  conv.run(gone, PAGE, target, 50, 1, 0, 60, 3);
  const add = old.prepare(`INSERT INTO comments (conversation_id, n, id, author_id, author_name, text, created_at, edited_at, deleted_at) VALUES (?, ?, ?, 'u1', 'Ann', ?, 1, ?, ?)`);
  add.run(ids.b, 0, ids.b, 'first', null, null);
  add.run(ids.b, 1, comment(9), 'second, edited', 7, null);
  add.run(ids.b, 2, comment(3), 'removed', null, 5);
  add.run(ids.b, 3, comment(1), 'third', null, null);
  add.run(ids.a, 0, ids.a, 'other', null, null);
  old.close();

  const store = new SqliteStore(file);
  try {
    const snap = store.snapshot('public', PAGE);
    expect(snap.conversations.map((c) => [c.id, c.revision, c.resolved])).toEqual([
      [ids.b, 3, true],
      [ids.a, 1, false],
    ]);
    expect(snap.conversations[0]!.comments.map((c) => [c.id, c.text, c.editedAt])).toEqual([
      [ids.b, 'first', undefined],
      [comment(9), 'second, edited', 7],
      [comment(1), 'third', undefined],
    ]);
    expect(snap.conversations[1]!.comments.map((c) => c.text)).toEqual(['other']);
    expect(() => store.update(who, { broadcastId: comment(70), id: gone, changes: { resolved: true } }, 300)).toThrow(/deleted/);

    // The next comment of a migrated thread goes after its last one, the deleted one included.
    store.update(who, { broadcastId: comment(71), id: ids.b, changes: { addComment: { id: comment(80), text: 'fourth' } } }, 300);
    const created = typicalChat(`https://${PAGE}`);
    store.create(who, PAGE, { broadcastId: created.id, chat: created }, 400);
    expect(store.snapshot('public', PAGE).conversations.map((c) => [c.id, c.comments.map((x) => x.text)])).toEqual([
      [ids.b, ['first', 'second, edited', 'third', 'fourth']],
      [ids.a, ['other']],
      [created.id, [created.text]],
    ]);
  } finally {
    store.close();
  }

  const db = new Database(file);
  try {
    expect(db.pragma('foreign_key_check')).toEqual([]);
    // Keys follow the old rows' creation order, and a new conversation is appended after them.
    expect(db.prepare('SELECT id FROM conversations ORDER BY key').all().map((r) => (r as { id: string }).id)).toEqual([gone, ids.b, ids.a, expect.any(String)]);
    expect(db.prepare('SELECT c.n, c.deleted_at FROM comments c JOIN conversations v ON v.key = c.conversation WHERE v.id = ? ORDER BY c.n').all(ids.b)).toEqual([
      { n: 0, deleted_at: null },
      { n: 1, deleted_at: null },
      { n: 2, deleted_at: 5 },
      { n: 3, deleted_at: null },
      { n: 4, deleted_at: null },
    ]);
    // Removing a conversation's row takes its thread with it (ON DELETE CASCADE on the new key).
    db.pragma('foreign_keys = ON');
    db.prepare('DELETE FROM conversations WHERE id = ?').run(ids.a);
    expect(db.prepare('SELECT count(*) AS n FROM comments WHERE id = ?').get(ids.a)).toEqual({ n: 0 });
  } finally {
    db.close();
  }
});

/**
 * Migrations 5 and 6, on a log written by schema 4: changes written before replay from the log (a
 * create too), an update after the upgrade links to the latest change written before it, and creates
 * after it (schema 6) replay from their rows, beside the log, in seq order, on every page apart. A
 * conversation deleted since keeps its first comment for the replay of its create.
 */
it('migrations 5 and 6 keep each page\'s changes replayable across the upgrade', () => {
  const { file, old } = databaseAt(4);
  const conv = old.prepare(`INSERT INTO conversations (id, tenant, page_key, target, author_id, author_name, created_at, revision, resolved) VALUES (?, 'public', ?, ?, 'u1', 'Ann', ?, 1, 0)`);
  const first = old.prepare(`INSERT INTO comments (conversation, n, id, author_id, author_name, text, created_at) VALUES (?, 0, ?, 'u1', 'Ann', 'old', ?)`);
  const log = old.prepare('INSERT INTO changes (tenant, page_key, seq, at, change, prev) VALUES (\'public\', ?, ?, ?, ?, ?)');
  const page = old.prepare(`INSERT INTO pages (tenant, page_key, seq, min_seq, last_change) VALUES ('public', ?, ?, 0, ?)`);
  const oldCreate = (id: string, pageKey: string, seq: number, prev: number | null) => {
    first.run(conv.run(id, pageKey, target, seq).lastInsertRowid, id, seq);
    const chat = { target: JSON.parse(target) as unknown, text: 'old', author: who.user, createdAt: seq };
    return Number(log.run(pageKey, seq, seq, JSON.stringify({ type: 'new-text-chat', broadcastId: id, seq, id, chat }), prev).lastInsertRowid);
  };
  const c1 = oldCreate(ids.a, PAGE, 1, null);
  const c2 = Number(log.run(PAGE, 2, 2, JSON.stringify({ type: 'updated-text-chat', broadcastId: comment(1), seq: 2, id: ids.a, revision: 2, by: who.user, resolved: true }), c1).lastInsertRowid);
  const c3 = oldCreate(ids.b, PAGE, 3, c2);
  page.run(PAGE, 3, c3);
  page.run(OTHER, 1, oldCreate(comment(2), OTHER, 1, null));
  old.close();

  const store = new SqliteStore(file, { intervalMs: 60_000 });
  try {
    const create = (pageKey: string, at: number, broadcastId?: string) => {
      const chat = typicalChat(`https://${pageKey}`);
      return store.create(who, pageKey, { broadcastId: broadcastId ?? chat.id, chat }, at).event!;
    };
    store.update(who, { broadcastId: comment(3), id: ids.b, changes: { resolved: true } }, 4);
    const d = create(PAGE, 5, comment(4));
    store.delete(who, { broadcastId: comment(5), id: ids.a }, 6);
    const fresh = create('example.com/new', 7);
    const f = create(PAGE, 8);
    store.delete(who, { broadcastId: comment(6), id: f.id }, 9);

    const replay = store.changesSince('public', PAGE, 0);
    expect('changes' in replay && replay.changes.map((c) => [c.seq, c.type, c.id])).toEqual([
      [1, 'new-text-chat', ids.a],
      [2, 'updated-text-chat', ids.a],
      [3, 'new-text-chat', ids.b],
      [4, 'updated-text-chat', ids.b],
      [5, 'new-text-chat', d.id],
      [6, 'deleted-text-chat', ids.a],
      [7, 'new-text-chat', f.id],
      [8, 'deleted-text-chat', f.id],
    ]);
    // A create replayed from its row is the change as it was broadcast, its own broadcastId included.
    const { pageKey: _, ...asBroadcast } = d;
    expect('changes' in replay && replay.changes[4]).toEqual({ type: 'new-text-chat', ...asBroadcast });
    expect('changes' in replay && replay.changes[6]).toMatchObject({ chat: { text: f.chat.text } });
    expect(store.changesSince('public', PAGE, 4)).toMatchObject({ seq: 8, changes: [{ seq: 5 }, { seq: 6 }, { seq: 7 }, { seq: 8 }] });
    expect(store.changesSince('public', 'example.com/new', 0)).toMatchObject({ seq: 1, changes: [{ seq: 1, id: fresh.id }] });
    expect(store.changesSince('public', OTHER, 0)).toMatchObject({ seq: 1, changes: [{ seq: 1, type: 'new-text-chat', id: comment(2) }] });
  } finally {
    store.close();
  }
});
