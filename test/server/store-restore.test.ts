import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { RESTORE_WINDOW_MS } from '../../protocol/limits.js';
import type { Identity } from '../../server/auth/identity.js';
import { migrate } from '../../server/store/schema.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { typicalChat } from '../support/clients.js';
import { pageSeqs } from '../support/db.js';
import { useTempStore } from '../support/temp-store.js';

/** The store's side of undoing a deletion (`restore`), on a real SQLite file. */
const temp = useTempStore('gloss-restore-');

const ann = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;
const PAGE = 'example.com/restore';
const T = 1_800_000_000_000;

/** A conversation with two replies, the second deleted, created at T. */
function thread(store: SqliteStore) {
  const chat = typicalChat(`https://${PAGE}`);
  store.create(ann, PAGE, { broadcastId: chat.id, chat }, T);
  const [kept, dropped] = [randomUUID(), randomUUID()];
  store.update(ann, { broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: kept, text: 'kept reply' } } }, T + 1);
  store.update(ann, { broadcastId: randomUUID(), id: chat.id, changes: { addComment: { id: dropped, text: 'dropped reply' } } }, T + 2);
  store.update(ann, { broadcastId: randomUUID(), id: chat.id, changes: { deleteComment: { id: dropped } } }, T + 3);
  return { id: chat.id, kept, dropped, before: store.snapshot('public', PAGE).conversations[0]! };
}

/** One row read from the store's file by a connection of its own. */
function readRow<T>(file: string, sql: string, ...params: unknown[]): T {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).get(...params) as T;
  } finally {
    db.close();
  }
}

const replyBytes = (file: string) => readRow<{ b: number }>(file, 'SELECT reply_bytes AS b FROM pages WHERE page_key = ?', PAGE).b;

it('a deletion keeps the thread; a restore brings it back as it was, at the next seq, with its replies counted again', () => {
  const store = temp.store();
  const { id, kept, before } = thread(store);
  const counted = replyBytes(temp.file());
  expect(counted).toBeGreaterThan(0);
  store.delete(ann, { broadcastId: randomUUID(), id }, T + 10);
  expect(replyBytes(temp.file())).toBe(0);
  expect(store.snapshot('public', PAGE).conversations).toEqual([]);

  const restored = store.restore(ann, { broadcastId: randomUUID(), id }, T + 20);
  expect(restored).toMatchObject({ seq: 6, chat: before, event: { seq: 6, id, pageKey: PAGE, chat: { text: before.comments[0]!.text, restored: { revision: before.revision, resolved: false } } } });
  expect(restored.chat.comments.map((c) => c.id)).toEqual([id, kept]);
  expect(store.snapshot('public', PAGE).conversations).toEqual([before]);
  expect(replyBytes(temp.file())).toBe(counted);
  expect(pageSeqs(new Database(temp.file(), { readonly: true }), PAGE)).toEqual([1, 2, 3, 4, 5, 6]);
  // Live again: it takes replies, and a second restore changes nothing.
  store.update(ann, { broadcastId: randomUUID(), id, changes: { resolved: true } }, T + 30);
  expect(store.restore(ann, { broadcastId: randomUUID(), id }, T + 40)).toEqual({ seq: 7, chat: { ...before, revision: before.revision + 1, resolved: true } });
});

it("a resync from before the deletion replays the create, the deletion and the restore with the thread, gap-free; one behind a pruned tombstone gets a snapshot", () => {
  const store = temp.store();
  const { id, before } = thread(store);
  const restoreId = randomUUID();
  store.delete(ann, { broadcastId: randomUUID(), id }, T + 10);
  store.restore(ann, { broadcastId: restoreId, id }, T + 20);
  expect(store.changesSince('public', PAGE, 4)).toEqual({
    pageKey: PAGE,
    seq: 6,
    changes: [
      { type: 'deleted-text-chat', broadcastId: expect.any(String), seq: 5, id },
      { type: 'new-text-chat', broadcastId: restoreId, seq: 6, id, chat: { target: before.target, text: before.comments[0]!.text, author: before.author, createdAt: T, restored: { revision: before.revision, resolved: false, comments: before.comments } } },
    ],
  });
  // Deleted again, and its tombstone pruned: the restore cannot be rebuilt, so a client behind it is sent a snapshot.
  store.delete(ann, { broadcastId: randomUUID(), id }, T + 30);
  expect(store.changesSince('public', PAGE, 4)).toMatchObject({ seq: 7, changes: [{ seq: 5 }, { seq: 6, chat: { restored: {} } }, { seq: 7, type: 'deleted-text-chat' }] });
  const db = new Database(temp.file());
  db.prepare('DELETE FROM conversations WHERE id = ?').run(id);
  db.close();
  expect(store.changesSince('public', PAGE, 5)).toMatchObject({ seq: 7, reset: true, conversations: [] });
});

it('the restore window: refused gone once it has passed, and the next prune after it frees the thread; the store file keeps a restore across a reopen', () => {
  let store = temp.store();
  const { id } = thread(store);
  store.delete(ann, { broadcastId: randomUUID(), id }, T + 10);
  expect(() => store.restore(ann, { broadcastId: randomUUID(), id }, T + 10 + RESTORE_WINDOW_MS)).toThrow(expect.objectContaining({ code: 'gone' }));
  // Not yet past the window: the prune keeps the replies.
  expect(store.prune(0, T + 10 + RESTORE_WINDOW_MS)).toBe(0);
  store.close();
  store = new SqliteStore(temp.file());
  try {
    const replies = () => readRow<{ n: number }>(temp.file(), 'SELECT count(*) AS n FROM comments WHERE n > 0').n;
    expect(replies()).toBe(2);
    expect(store.prune(0, T + 11 + RESTORE_WINDOW_MS)).toBe(2);
    expect(replies()).toBe(0);
    // The tombstone is still there (a late update is `gone`, not `not_found`), and still past the window.
    expect(() => store.restore(ann, { broadcastId: randomUUID(), id }, T + 11 + RESTORE_WINDOW_MS)).toThrow(expect.objectContaining({ code: 'gone' }));
    // Within the window, a store reopened on the file restores what the previous one deleted.
    const other = typicalChat(`https://${PAGE}`);
    store.create(ann, PAGE, { broadcastId: other.id, chat: other }, T + 100);
    store.delete(ann, { broadcastId: randomUUID(), id: other.id }, T + 101);
  } finally {
    store.close();
  }
  const reopened = new SqliteStore(temp.file());
  try {
    expect(reopened.restore(ann, { broadcastId: randomUUID(), id: chatIdOnPage(temp.file()) }, T + 102)).toMatchObject({ chat: { comments: [{ author: ann.user }] } });
    expect(reopened.snapshot('public', PAGE).conversations).toHaveLength(1);
  } finally {
    reopened.close();
  }
});

it('a restore takes its replies back into the page budget: over it, page_replies_full and nothing written', () => {
  const file = temp.file();
  temp.store().close();
  const store = new SqliteStore(file, {}, { pageReplyBytes: 1_000 });
  try {
    const { id } = thread(store);
    store.delete(ann, { broadcastId: randomUUID(), id }, T + 10);
    const other = typicalChat(`https://${PAGE}`);
    store.create(ann, PAGE, { broadcastId: other.id, chat: other }, T + 11);
    // The room the deletion gave back is taken by another thread's reply meanwhile.
    store.update(ann, { broadcastId: randomUUID(), id: other.id, changes: { addComment: { id: randomUUID(), text: 'x'.repeat(700) } } }, T + 12);
    expect(() => store.restore(ann, { broadcastId: randomUUID(), id }, T + 13)).toThrow(expect.objectContaining({ code: 'page_replies_full' }));
    expect(store.snapshot('public', PAGE).conversations.map((c) => c.id)).toEqual([other.id]);
    expect(store.changesSince('public', PAGE, 0)).toMatchObject({ seq: 7 });
  } finally {
    store.close();
  }
});

/** The one conversation still deleted on the page, read from the file. */
function chatIdOnPage(file: string): string {
  return readRow<{ id: string }>(file, 'SELECT id FROM conversations WHERE page_key = ? AND deleted_at IS NOT NULL ORDER BY created_at DESC LIMIT 1', PAGE).id;
}

it('a deletion at the size limit erases the replies at once, to make room, and cannot be undone', () => {
  const file = temp.file();
  temp.store().close();
  const store = new SqliteStore(file, {}, { maxBytes: 1024 * 1024 });
  try {
    const { id } = thread(store);
    // Filled with long conversations until the limit refuses one.
    for (let i = 0; ; i++) {
      if (i > 1_000) throw new Error('1,000 conversations of 10,000 characters fitted in 1 MiB');
      const chat = { ...typicalChat(`https://${PAGE}`), text: 'x'.repeat(10_000) };
      const [outcome] = store.runGroup([() => store.create(ann, PAGE, { broadcastId: chat.id, chat }, T + 5)]);
      if (!outcome!.ok) break;
    }
    store.delete(ann, { broadcastId: randomUUID(), id }, T + 10);
    const left = readRow<{ n: number }>(file, 'SELECT count(*) AS n FROM comments c JOIN conversations v ON v.key = c.conversation WHERE v.id = ?', id);
    expect(left.n, 'only the opening comment is left').toBe(1);
    expect(() => store.restore(ann, { broadcastId: randomUUID(), id }, T + 11)).toThrow(expect.objectContaining({ code: 'gone' }));
  } finally {
    store.close();
  }
});

it('a conversation deleted before the upgrade to schema 9 (its replies erased then) cannot be undone: gone', () => {
  const file = temp.file();
  temp.store().close();
  fs.rmSync(file);
  const old = new Database(file);
  migrate(old, 8);
  const id = randomUUID();
  old.prepare('INSERT INTO tenants (id, created_at) VALUES (?, ?)').run('public', T);
  const { key } = old
    .prepare("INSERT INTO conversations (id, tenant, page_key, target, author_id, author_name, created_at, revision, resolved, deleted_at, deleted_seq, seq) VALUES (?, 'public', ?, ?, ?, ?, ?, 1, 0, ?, 2, 1) RETURNING key")
    .get(id, PAGE, JSON.stringify(typicalChat(`https://${PAGE}`).target), ann.user.id, ann.user.name, T, T + 1) as { key: number };
  old.prepare('INSERT INTO comments (conversation, n, id, author_id, author_name, text, created_at) VALUES (?, 0, ?, ?, ?, ?, ?)').run(key, id, ann.user.id, ann.user.name, 'opening', T);
  old.close();
  const store = new SqliteStore(file);
  try {
    expect(() => store.restore(ann, { broadcastId: randomUUID(), id }, T + 2)).toThrow(expect.objectContaining({ code: 'gone' }));
  } finally {
    store.close();
  }
});
