import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import { migrate } from '../../server/store/schema.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const PAGE = 'example.com/migrated';
const OTHER = 'example.com/other';
const target = JSON.stringify({ selector: [{ type: 'TextQuoteSelector', exact: 'quoted' }] });
const ids = { a: '00000000-0000-4000-8000-00000000000a', b: '00000000-0000-4000-8000-00000000000b' };
const comment = (n: number) => `00000000-0000-4000-8000-0000000001${String(n).padStart(2, '0')}`;

/**
 * A database written by the first schema (comments ordered by rowid, change log clustered by page)
 * keeps every conversation, thread order, deletion and change through the second, and through the
 * third its change log stays replayable page by page (each page's changes chained, schema.ts).
 */
it('migrations 2 and 3 keep threads in order and each page\'s change log replayable', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-migration-'));
  dirs.push(dir);
  const file = path.join(dir, 'gloss.sqlite');
  const old = new Database(file);
  migrate(old, 1);
  old.prepare("INSERT INTO tenants VALUES ('public', 0)").run();
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
    const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;
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
