import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import { typicalChat } from '../support/clients.js';
import { useTempStore } from '../support/temp-store.js';

/** Retention (GLOSS_RETENTION_DAYS): the change log and tombstones older than the cutoff go, and a client behind them gets a snapshot. */
const temp = useTempStore('gloss-retention-');

const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;
const PAGE = 'example.com/retention';

it('prunes the change log up to the cutoff, raises the replay floor, and drops old tombstones', () => {
  const store = temp.store();
  const [a, b] = [1, 2].map(() => typicalChat(`https://${PAGE}`));
  store.create(who, PAGE, { broadcastId: a!.id, chat: a! }, 100);
  store.create(who, PAGE, { broadcastId: b!.id, chat: b! }, 110);
  store.update(who, { broadcastId: crypto.randomUUID(), id: b!.id, changes: { resolved: true } }, 200);
  store.update(who, { broadcastId: crypto.randomUUID(), id: b!.id, changes: { addComment: { id: crypto.randomUUID(), text: 'later' } } }, 300);
  store.delete(who, { broadcastId: crypto.randomUUID(), id: a!.id }, 400);

  // The log holds updates and deletions (a create is its conversation's row: schema.ts, migration 6).
  expect(store.prune(250)).toBe(1);
  // Behind the floor: only a snapshot makes the client whole.
  expect(store.changesSince('public', PAGE, 0)).toMatchObject({ seq: 5, reset: true });
  expect(store.changesSince('public', PAGE, 2)).toMatchObject({ seq: 5, reset: true });
  expect(store.changesSince('public', PAGE, 3)).toMatchObject({ seq: 5, changes: [{ seq: 4, id: b!.id }, { seq: 5, type: 'deleted-text-chat', id: a!.id }] });
  expect(store.snapshot('public', PAGE).conversations.map((x) => x.id)).toEqual([b!.id]);

  // The deleted conversation's tombstone (kept so a late update gets `gone`) goes with the last of the log.
  expect(() => store.update(who, { broadcastId: crypto.randomUUID(), id: a!.id, changes: { resolved: true } }, 450)).toThrow(/deleted/);
  expect(store.prune(1000)).toBe(3);
  expect(() => store.update(who, { broadcastId: crypto.randomUUID(), id: a!.id, changes: { resolved: true } }, 1100)).toThrow(/no such conversation/);
  expect(store.changesSince('public', PAGE, 5)).toMatchObject({ seq: 5, changes: [] });
});

it('a change missing from a page\'s chain or a create missing from its rows gets the client a snapshot, never a replay with a hole', () => {
  const store = temp.store();
  const [a, b] = [1, 2].map(() => typicalChat(`https://${PAGE}`));
  store.create(who, PAGE, { broadcastId: a!.id, chat: a! }, 100);
  for (const [i, resolved] of [true, false, true].entries()) store.update(who, { broadcastId: crypto.randomUUID(), id: a!.id, changes: { resolved } }, 101 + i);
  store.create(who, PAGE, { broadcastId: b!.id, chat: b! }, 200);
  // A change after the last create: the page row, not a create, then holds the page's seq.
  store.update(who, { broadcastId: crypto.randomUUID(), id: b!.id, changes: { resolved: true } }, 201);
  expect(store.changesSince('public', PAGE, 0)).toMatchObject({ seq: 6, changes: [{ seq: 1 }, { seq: 2 }, { seq: 3 }, { seq: 4 }, { seq: 5 }, { seq: 6 }] });
  // Damage no code path makes: a second connection removes seq 3 from the log behind the store's back…
  const db = new Database(temp.file());
  db.prepare('DELETE FROM changes WHERE page_key = ? AND seq = 3').run(PAGE);
  expect(store.changesSince('public', PAGE, 3)).toMatchObject({ seq: 6, changes: [{ seq: 4, id: a!.id }, { seq: 5, id: b!.id }, { seq: 6, id: b!.id }] });
  expect(store.changesSince('public', PAGE, 2)).toMatchObject({ seq: 6, reset: true, conversations: [{ id: a!.id }, { id: b!.id }] });
  // …and the create at seq 5 from the conversations.
  db.prepare('UPDATE conversations SET seq = 0 WHERE id = ?').run(b!.id);
  db.close();
  expect(store.changesSince('public', PAGE, 4)).toMatchObject({ seq: 6, reset: true });
  expect(store.changesSince('public', PAGE, 5)).toMatchObject({ seq: 6, changes: [{ seq: 6, id: b!.id }] });
});

it('a create whose first comment is missing from its thread gets the client a snapshot, not a conversation without text', () => {
  const store = temp.store();
  const [a, b] = [1, 2].map(() => typicalChat(`https://${PAGE}`));
  store.create(who, PAGE, { broadcastId: a!.id, chat: a! }, 100);
  store.create(who, PAGE, { broadcastId: b!.id, chat: b! }, 200);
  const db = new Database(temp.file());
  db.prepare('DELETE FROM comments WHERE id = ?').run(b!.id);
  db.close();
  expect(store.changesSince('public', PAGE, 0)).toMatchObject({ seq: 2, reset: true });
  expect(store.changesSince('public', PAGE, 1)).toMatchObject({ seq: 2, reset: true });
  expect(store.changesSince('public', PAGE, 2)).toMatchObject({ seq: 2, changes: [] });
});

// Pruned empty, the log hands its rowids out again from 1 (a change takes max(rowid) + 1), while the
// pages still point at the rowids their pruned latest changes had.
it('after the whole log was pruned, another page\'s change at a freed rowid neither joins a replay nor sends an up-to-date client a snapshot', () => {
  const store = temp.store();
  const OTHER = 'example.com/retention-other';
  const a = typicalChat(`https://${PAGE}`);
  store.create(who, PAGE, { broadcastId: a.id, chat: a }, 100);
  store.update(who, { broadcastId: crypto.randomUUID(), id: a.id, changes: { resolved: true } }, 100);
  expect(store.prune(1000)).toBe(1);
  // The other page's first update takes rowid 1 again, the one this page's latest change had.
  const others = [1, 2, 3].map(() => typicalChat(`https://${OTHER}`));
  for (const o of others) store.create(who, OTHER, { broadcastId: o.id, chat: o }, 2000);
  store.update(who, { broadcastId: crypto.randomUUID(), id: others[0]!.id, changes: { resolved: true } }, 2000);
  // A client of this page that has everything: nothing to replay, not a snapshot.
  expect(store.changesSince('public', PAGE, 2)).toEqual({ pageKey: PAGE, seq: 2, changes: [] });
  // One change later: exactly that change.
  store.update(who, { broadcastId: crypto.randomUUID(), id: a.id, changes: { resolved: false } }, 2000);
  expect(store.changesSince('public', PAGE, 2)).toEqual({ pageKey: PAGE, seq: 3, changes: [expect.objectContaining({ seq: 3, id: a.id, resolved: false })] });
  expect(store.changesSince('public', OTHER, 3)).toEqual({ pageKey: OTHER, seq: 4, changes: [expect.objectContaining({ seq: 4, id: others[0]!.id })] });
});

it('after the whole log was pruned, a page taking its own freed rowids back replays each change once', () => {
  const store = temp.store();
  const a = typicalChat(`https://${PAGE}`);
  store.create(who, PAGE, { broadcastId: a.id, chat: a }, 100);
  for (const resolved of [true, false]) store.update(who, { broadcastId: crypto.randomUUID(), id: a.id, changes: { resolved } }, 100);
  expect(store.prune(1000)).toBe(2);
  // Seqs 4, 5, 6 take rowids 1, 2, 3; seq 4 links back to rowid 2, the pruned seq 3's, now seq 5.
  for (const resolved of [true, false, true]) store.update(who, { broadcastId: crypto.randomUUID(), id: a.id, changes: { resolved } }, 2000);
  const replay = store.changesSince('public', PAGE, 3);
  expect(replay).not.toHaveProperty('reset');
  expect(replay).toMatchObject({ seq: 6, changes: [{ seq: 4 }, { seq: 5 }, { seq: 6 }] });
});

// A client may add and delete replies in a loop (within the rate limit): their rows must not stay forever.
it('drops the rows of deleted replies older than the cutoff, keeps newer and live ones, and replays and refuses as before', () => {
  const store = temp.store();
  const a = typicalChat(`https://${PAGE}`);
  const reply = (text: string) => ({ id: crypto.randomUUID(), text });
  const [early, late, live] = [reply('early'), reply('late'), reply('live')];
  const add = (c: { id: string; text: string }, at: number) =>
    store.update(who, { broadcastId: crypto.randomUUID(), id: a.id, changes: { addComment: c } }, at);
  const remove = (c: { id: string }, at: number) =>
    store.update(who, { broadcastId: crypto.randomUUID(), id: a.id, changes: { deleteComment: { id: c.id } } }, at);
  const rows = () => {
    const db = new Database(temp.file(), { readonly: true });
    try {
      return db.prepare<[], { id: string }>('SELECT id FROM comments ORDER BY conversation, n').all().map((r) => r.id);
    } finally {
      db.close();
    }
  };
  store.create(who, PAGE, { broadcastId: a.id, chat: a }, 100); // seq 1
  add(early, 110); // 2
  add(late, 120); // 3
  add(live, 130); // 4
  remove(early, 200); // 5
  remove(late, 600); // 6
  const shown = store.snapshot('public', PAGE);
  // Within the retention the deleted row answers a retried add `gone`, as it always did.
  expect(() => add(early, 300)).toThrow(/deleted/);

  // The log up to seq 5 (4 changes) and the reply deleted at 200 go; the one deleted at 600, and the
  // live reply although it is older than the cutoff, stay.
  expect(store.prune(500)).toBe(5);
  expect(rows()).toEqual([a.id, late.id, live.id]);
  // Nothing a client sees changed: the same snapshot, a replay from the floor (from the log, not the
  // rows), and a snapshot for a client behind it.
  expect(store.snapshot('public', PAGE)).toEqual(shown);
  expect(store.changesSince('public', PAGE, 5)).toMatchObject({ seq: 6, changes: [{ seq: 6, deleteComment: { id: late.id } }] });
  expect(store.changesSince('public', PAGE, 4)).toMatchObject({ seq: 6, reset: true, conversations: [{ id: a.id, comments: [{ id: a.id }, { id: live.id }] }] });
  // The reply still within the retention is still `gone` to a retried add, and deleting it again is done.
  expect(() => add(late, 700)).toThrow(/deleted/);
  expect(remove(late, 700)).not.toHaveProperty('event');

  // Past the retention that guarantee is not kept (sqlite-store.ts, prune, says why): a retried add of the
  // pruned reply is taken as a new one, as a create of a conversation whose tombstone expired is.
  expect(add(early, 800)).toHaveProperty('event');
  expect(store.prune(1000)).toBe(3);
  expect(rows()).toEqual([a.id, live.id, early.id]);
  expect(store.snapshot('public', PAGE).conversations[0]!.comments.map((c) => c.text)).toEqual([a.text, 'live', 'early']);
});
