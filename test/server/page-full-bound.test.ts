import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LIMITS } from '../../protocol/limits.js';
import { normalizePageUrl } from '../../protocol/url.js';
import type { Identity } from '../../server/auth/identity.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { typicalChat } from '../support/clients.js';
import { tempDbPath } from '../support/server-process.js';

/**
 * The page cap on a page with a long history (server/store/sqlite-store.ts `overCap`): its seq is
 * past the cap, so the live conversations are counted, and the count is then reused as a bound for
 * the creates that follow. The bound must never let the page past the cap: creates up to the cap
 * pass, deletions make room, and the one over is refused, whatever was remembered.
 */
const URL = `https://example.com/long-history-${randomUUID()}`;
const pageKey = normalizePageUrl(URL);
const someone = { tenant: 'public', user: { id: 'u-seed', name: 'Seed' }, role: 'member' } as Identity;
const cap = LIMITS.conversationsPerPage;
const HEADROOM = 10;
let dbPath: string;
let store: SqliteStore;

const create = () => {
  const chat = typicalChat(URL);
  return store.create(someone, pageKey, { broadcastId: chat.id, chat }, Date.now()).event!.id;
};
const tryCreate = () => {
  try {
    create();
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code;
  }
};
const remove = (id: string) => store.delete(someone, { broadcastId: randomUUID(), id }, Date.now());

beforeAll(() => {
  dbPath = tempDbPath();
  store = new SqliteStore(dbPath);
  store.ensureTenant('public');
  // 30 conversations made and deleted, then cap - HEADROOM made: the page's seq is past the cap, its live conversations HEADROOM short of it.
  const gone = store.runGroup(Array.from({ length: 30 }, () => create)).map((o) => (o.ok ? (o.value as string) : ''));
  expect(store.runGroup(gone.map((id) => () => remove(id))).every((o) => o.ok)).toBe(true);
  expect(store.runGroup(Array.from({ length: cap - HEADROOM }, () => create)).every((o) => o.ok)).toBe(true);
  expect(store.snapshot('public', pageKey).seq).toBeGreaterThanOrEqual(cap);
}, 60_000);
afterAll(() => {
  store.close();
  fs.rmSync(path.dirname(dbPath), { recursive: true, force: true });
});

it('a page past the cap in seq but not in live conversations takes creates up to the cap, then refuses page_full', () => {
  const made = Array.from({ length: HEADROOM }, tryCreate);
  expect(made).toEqual(Array(HEADROOM).fill('ok'));
  expect(tryCreate()).toBe('page_full');
  expect(tryCreate()).toBe('page_full');
});

it('deletions after the count make room again, one for one, and the cap still holds after them', () => {
  // Snapshots list live conversations only: the page is at the cap here.
  const live = store.snapshot('public', pageKey).conversations.map((c) => c.id);
  expect(live).toHaveLength(cap);
  for (const id of live.slice(0, 3)) remove(id);
  expect([tryCreate(), tryCreate(), tryCreate(), tryCreate()]).toEqual(['ok', 'ok', 'ok', 'page_full']);
});
