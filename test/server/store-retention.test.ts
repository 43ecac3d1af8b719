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
  const [a, b, c] = [1, 2, 3].map(() => typicalChat(`https://${PAGE}`));
  store.create(who, PAGE, { broadcastId: a!.id, chat: a! }, 100);
  store.create(who, PAGE, { broadcastId: b!.id, chat: b! }, 200);
  store.create(who, PAGE, { broadcastId: c!.id, chat: c! }, 300);
  store.delete(who, { broadcastId: crypto.randomUUID(), id: a!.id }, 400);

  expect(store.prune(250)).toBe(2);
  // Behind the floor: only a snapshot makes the client whole.
  expect(store.changesSince('public', PAGE, 0)).toMatchObject({ seq: 4, reset: true });
  expect(store.changesSince('public', PAGE, 2)).toMatchObject({ seq: 4, changes: [{ seq: 3, id: c!.id }, { seq: 4, type: 'deleted-text-chat', id: a!.id }] });
  expect(store.snapshot('public', PAGE).conversations.map((x) => x.id)).toEqual([b!.id, c!.id]);

  // The deleted conversation's tombstone (kept so a late update gets `gone`) goes with the last of the log.
  expect(() => store.update(who, { broadcastId: crypto.randomUUID(), id: a!.id, changes: { resolved: true } }, 450)).toThrow(/deleted/);
  expect(store.prune(1000)).toBe(3);
  expect(() => store.update(who, { broadcastId: crypto.randomUUID(), id: a!.id, changes: { resolved: true } }, 1100)).toThrow(/no such conversation/);
  expect(store.changesSince('public', PAGE, 4)).toMatchObject({ seq: 4, changes: [] });
});

it('a change missing from the middle of a page\'s chain gets the client a snapshot, never a replay with a hole', () => {
  const store = temp.store();
  const [a, b, c] = [1, 2, 3].map(() => typicalChat(`https://${PAGE}`));
  for (const [i, chat] of [a!, b!, c!].entries()) store.create(who, PAGE, { broadcastId: chat.id, chat }, 100 + i);
  expect(store.changesSince('public', PAGE, 0)).toMatchObject({ seq: 3, changes: [{ seq: 1 }, { seq: 2 }, { seq: 3 }] });
  // Damage no code path makes: a second connection removes seq 2 behind the store's back.
  const db = new Database(temp.file());
  db.prepare('DELETE FROM changes WHERE page_key = ? AND seq = 2').run(PAGE);
  db.close();
  expect(store.changesSince('public', PAGE, 2)).toMatchObject({ seq: 3, changes: [{ seq: 3, id: c!.id }] });
  expect(store.changesSince('public', PAGE, 0)).toMatchObject({ seq: 3, reset: true, conversations: [{ id: a!.id }, { id: b!.id }, { id: c!.id }] });
});
