import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { StorageFault } from '../../server/store/storage-fault.js';
import type { Outcome } from '../../server/store/types.js';
import { typicalChat } from '../support/clients.js';
import { dbState } from '../support/db.js';

/**
 * The size limit (StoreLimits.maxBytes, the server's GLOSS_DB_MAX_MB) inside a group commit, on a
 * real SQLite file. SQLITE_FULL on a one-row insert rolls back SQLite's whole transaction, not just
 * the statement: the group's other operations must still be stored or refused on their own account.
 */
const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;
const PAGE = 'example.com/size-limit';
const LONG = 'x'.repeat(10_000);
let dir = '';
let file = '';
let store: SqliteStore;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-size-limit-'));
  file = path.join(dir, 'gloss.sqlite');
  store = new SqliteStore(file, {}, { maxBytes: 1024 * 1024 });
  store.ensureTenant('public');
});
afterEach(() => {
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const createOp = (text: string) => {
  const chat = { ...typicalChat(`https://${PAGE}`), text };
  return { id: chat.id, op: () => store.create(who, PAGE, { broadcastId: chat.id, chat }, Date.now()) };
};
const deleteOp = (id: string) => () => store.delete(who, { broadcastId: randomUUID(), id }, Date.now());
const code = (o: Outcome) => (o.ok ? 'ok' : (o.error as StorageFault).code);

/** Creates long conversations, one group each, until one is refused; answers the ids stored and the refusal. */
function fillWithCreates(): { ids: string[]; refusal: Outcome } {
  const ids: string[] = [];
  for (let i = 0; i < 1_000; i++) {
    const c = createOp(LONG);
    const [outcome] = store.runGroup([c.op]);
    if (!outcome!.ok) return { ids, refusal: outcome! };
    ids.push(c.id);
  }
  throw new Error('1,000 conversations of 10,000 characters fitted in 1 MiB');
}

it('at the limit a create is refused store_full (a StorageFault carrying SQLITE_FULL for the log), nothing of it stored', () => {
  const { ids, refusal } = fillWithCreates();
  expect(ids.length).toBeGreaterThan(20);
  expect(refusal).toMatchObject({ ok: false, error: { code: 'store_full', sqliteCode: 'SQLITE_FULL' } });
  expect((refusal as { error: unknown }).error).toBeInstanceOf(StorageFault);
  expect(dbState(file).conversations).toBe(ids.length);
});

it('a group where one create meets the limit: that create alone is refused; the deletions before and after it are stored, with gap-free seqs', () => {
  const { ids } = fillWithCreates();
  const before = dbState(file);
  const big = createOp(LONG);
  const outcomes = store.runGroup([deleteOp(ids[0]!), big.op, deleteOp(ids[1]!)]);
  expect(outcomes.map(code)).toEqual(['ok', 'store_full', 'ok']);
  // Each stored create took one seq of the page; the refused one took none.
  const seqs = outcomes.filter((o) => o.ok).map((o) => (o.value as { seq: number }).seq);
  expect(seqs).toEqual([ids.length + 1, ids.length + 2]);
  const after = dbState(file);
  expect(after.conversations).toBe(before.conversations);
  expect(after.liveConversations).toBe(before.liveConversations - 2);
  expect(after.rows.some((r) => r.id === big.id)).toBe(false);
});

it('deletions draw on the reserve when nothing else fits; what a deletion frees is written again', () => {
  const { ids } = fillWithCreates();
  // Fill what is left with small creates: then even they are refused.
  for (let i = 0; i < 10_000 && store.runGroup([createOp('small').op])[0]!.ok; i++);
  expect(code(store.runGroup([createOp('small').op])[0]!)).toBe('store_full');
  // Every conversation deleted, from the reserve (a tombstone keeps its opening comment, so this
  // frees little), then pruned: that frees their pages inside the file.
  const outcomes = store.runGroup(ids.map(deleteOp));
  expect(outcomes.map(code).filter((c) => c !== 'ok')).toEqual([]);
  store.prune(Date.now() + 1);
  expect(code(store.runGroup([createOp(LONG).op])[0]!)).toBe('ok');
});
