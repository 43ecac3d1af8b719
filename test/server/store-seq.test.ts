import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { typicalChat } from '../support/clients.js';
import { useTempStore } from '../support/temp-store.js';

/**
 * A page's seq without a page-row write per create (docs/benchmarks.md, change 26): a create's seq
 * lives in its conversation row only, updates and deletions take theirs through the page row, and
 * the page's seq is the larger of the two. These are the orders in which the two could disagree.
 */
const temp = useTempStore('gloss-seq-');
const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;
const PAGE = 'example.com/seq';

const pageRow = () => {
  const db = new Database(temp.file(), { readonly: true });
  try {
    return db.prepare('SELECT seq FROM pages WHERE page_key = ?').get(PAGE) as { seq: number } | undefined;
  } finally {
    db.close();
  }
};
const create = (store: SqliteStore, at: number) => {
  const chat = typicalChat(`https://${PAGE}`);
  return { id: chat.id, seq: store.create(who, PAGE, { broadcastId: chat.id, chat }, at).seq };
};
const resolve = (store: SqliteStore, id: string, at: number) => store.update(who, { broadcastId: crypto.randomUUID(), id, changes: { resolved: true } }, at).seq;

it('creates alone take seqs 1, 2, 3 without writing a page row, and every read agrees', () => {
  const store = temp.store();
  expect([create(store, 1), create(store, 2), create(store, 3)].map((c) => c.seq)).toEqual([1, 2, 3]);
  expect(pageRow()).toBeUndefined();
  expect(store.snapshot('public', PAGE).seq).toBe(3);
  expect(store.changesSince('public', PAGE, 0)).toMatchObject({ seq: 3, changes: [{ seq: 1 }, { seq: 2 }, { seq: 3 }] });
  expect(store.changesSince('public', PAGE, 3)).toEqual({ pageKey: PAGE, seq: 3, changes: [] });
  // A client ahead of the page (another database) still gets a snapshot.
  expect(store.changesSince('public', PAGE, 4)).toMatchObject({ seq: 3, reset: true });
});

it('updates, deletions and creates interleaved: one gap-free sequence, whichever of the two records is ahead', () => {
  const store = temp.store();
  const a = create(store, 1);
  // The page row starts here, past the create it never saw.
  expect(resolve(store, a.id, 2)).toBe(2);
  expect(pageRow()).toEqual({ seq: 2 });
  const b = create(store, 3);
  const c = create(store, 4);
  expect([b.seq, c.seq]).toEqual([3, 4]);
  // Behind the creates, the page row is passed by the next change, not reused.
  expect(pageRow()).toEqual({ seq: 2 });
  expect(store.delete(who, { broadcastId: crypto.randomUUID(), id: b.id }, 5).seq).toBe(5);
  expect(resolve(store, c.id, 6)).toBe(6);
  expect(create(store, 7).seq).toBe(7);
  const sync = store.changesSince('public', PAGE, 0);
  expect(sync).toMatchObject({ seq: 7 });
  expect('changes' in sync && sync.changes.map((ch) => [ch.seq, ch.type])).toEqual([
    [1, 'new-text-chat'],
    [2, 'updated-text-chat'],
    [3, 'new-text-chat'],
    [4, 'new-text-chat'],
    [5, 'deleted-text-chat'],
    [6, 'updated-text-chat'],
    [7, 'new-text-chat'],
  ]);
});

it('the seq carries over a restart, and a deleted newest create keeps its seq taken', () => {
  const first = temp.store();
  const a = create(first, 1);
  create(first, 2);
  first.close();
  const again = new SqliteStore(temp.file());
  try {
    expect(again.snapshot('public', PAGE).seq).toBe(2);
    const c = create(again, 3);
    expect(c.seq).toBe(3);
    expect(again.delete(who, { broadcastId: crypto.randomUUID(), id: c.id }, 4).seq).toBe(4);
    // Retention removes the tombstone of the newest create; its deletion's seq, in the page row, stands.
    expect(again.prune(10)).toBeGreaterThan(0);
    expect(again.snapshot('public', PAGE)).toMatchObject({ seq: 4, conversations: [{ id: a.id }, {}] });
    expect(create(again, 11).seq).toBe(5);
  } finally {
    again.close();
  }
});
