import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { LIMITS } from '../../protocol/limits.js';
import type { Identity } from '../../server/auth/identity.js';
import { migrate } from '../../server/store/schema.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { typicalChat } from '../support/clients.js';
import { replyBytes } from '../support/db.js';

/**
 * The page's replies' budget in the store (LIMITS.pageReplyBytes; sqlite-store.ts `nextStep`): exact
 * when a group commit's transaction holds several operations and a refused one is rolled back alone,
 * and computed by schema.ts migration 8 for the pages of a database written before it. A budget of
 * 1,000 bytes; EURO (100 characters of 3 bytes) counts 500 with the reply's overhead of 200.
 */
const BUDGET = 1_000;
const EURO = '€'.repeat(100);
const PAGE = 'example.com/replies';
const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-replies-'));
  dirs.push(dir);
  return path.join(dir, 'gloss.sqlite');
}

const open = (file: string) => new SqliteStore(file, {}, { pageReplyBytes: BUDGET });
const add = (store: SqliteStore, conversation: string, id: string, text: string) => () =>
  store.update(who, { broadcastId: randomUUID(), id: conversation, changes: { addComment: { id, text } } }, Date.now());
const change = (store: SqliteStore, conversation: string, changes: Parameters<SqliteStore['update']>[1]['changes']) => () =>
  store.update(who, { broadcastId: randomUUID(), id: conversation, changes }, Date.now());
const outcome = (o: { ok: boolean; error?: unknown }) => (o.ok ? 'ok' : (o.error as { code?: string }).code);

it('stays exact through a group commit in which refused operations are rolled back alone', () => {
  const file = tempFile();
  const store = open(file);
  try {
    store.ensureTenant('public');
    const chat = typicalChat(`https://${PAGE}`);
    const [first, second, over, edited, late] = [randomUUID(), randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const group = [
      () => store.create(who, PAGE, { broadcastId: chat.id, chat }, Date.now()),
      add(store, chat.id, first, EURO),
      add(store, chat.id, second, EURO),
      // Writes its comment and bumps the revision before the budget refuses it: all of that is undone.
      add(store, chat.id, over, 'x'),
      change(store, chat.id, { deleteComment: { id: first } }),
      add(store, chat.id, edited, EURO),
      change(store, chat.id, { editComment: { id: edited, text: `${EURO}x` } }),
      change(store, chat.id, { editComment: { id: edited, text: 'short' } }),
      add(store, chat.id, late, 'y'.repeat(95)),
      add(store, chat.id, randomUUID(), 'x'),
    ];
    expect(store.runGroup(group).map(outcome)).toEqual(['ok', 'ok', 'ok', 'page_replies_full', 'ok', 'ok', 'page_replies_full', 'ok', 'ok', 'page_replies_full']);
    expect(replyBytes(file, PAGE)).toEqual({ kept: BUDGET, counted: BUDGET });
    const snap = store.snapshot('public', PAGE);
    expect(snap.conversations[0]!.comments.map((c) => c.id)).toEqual([chat.id, second, edited, late]);
    // Seqs of the refused ones were not taken: the create, then six changes, gap-free.
    expect(snap.seq).toBe(7);
    const sync = store.changesSince('public', PAGE, 0);
    expect('changes' in sync && sync.changes.map((c) => c.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  } finally {
    store.close();
  }
});

it('migration 8 computes the count of each page a database written before it holds', () => {
  const file = tempFile();
  const old = new Database(file);
  migrate(old, 7);
  old.prepare("INSERT INTO tenants VALUES ('public', 0)").run();
  const conv = old.prepare(
    `INSERT INTO conversations (id, tenant, page_key, target, author_id, author_name, created_at, revision, deleted_at, seq) VALUES (?, 'public', ?, '{"selector":[{"type":"TextQuoteSelector","exact":"q"}]}', 'u1', 'Ann', 1, 1, ?, ?)`,
  );
  const comment = old.prepare(`INSERT INTO comments (conversation, n, id, author_id, author_name, text, created_at, deleted_at) VALUES (?, ?, ?, 'u1', 'Ann', ?, 1, ?)`);
  const conversation = (pageKey: string, seq: number, deletedAt: number | null, opening: string) => {
    const id = randomUUID();
    const key = conv.run(id, pageKey, deletedAt, seq).lastInsertRowid;
    comment.run(key, 0, id, opening, null);
    const reply = (n: number, text: string, deleted: number | null = null) => {
      const replyId = randomUUID();
      comment.run(key, n, replyId, text, deleted);
      return replyId;
    };
    return { id, reply };
  };
  const a = conversation(PAGE, 1, null, 'o'.repeat(10_000));
  a.reply(1, EURO);
  a.reply(2, 'gone', 5);
  a.reply(3, 'é'.repeat(25));
  const b = conversation(PAGE, 2, null, 'opening');
  const short = b.reply(1, 'x'.repeat(48));
  // A deleted conversation's replies are not the page's any more (deleting one drops them; one left here must not count).
  conversation(PAGE, 3, 6, 'deleted').reply(1, EURO);
  const other = conversation('example.com/other', 1, null, 'opening');
  other.reply(1, 'ab');
  const page = old.prepare("INSERT INTO pages (tenant, page_key, seq) VALUES ('public', ?, ?)");
  page.run(PAGE, 9);
  page.run('example.com/other', 2);
  old.close();

  const store = open(file);
  try {
    // Bytes, not characters: EURO 300 + 200, 'é' × 25 50 + 200, 48 + 200; the opening comment and deleted replies not at all.
    expect(replyBytes(file, PAGE)).toEqual({ kept: 998, counted: 998 });
    expect(replyBytes(file, 'example.com/other')).toEqual({ kept: 2 + LIMITS.replyOverhead, counted: 2 + LIMITS.replyOverhead });
    // The migrated count is the one enforced: 2 bytes left.
    expect(store.runGroup([add(store, b.id, randomUUID(), 'x')]).map(outcome)).toEqual(['page_replies_full']);
    expect(store.runGroup([change(store, b.id, { editComment: { id: short, text: 'x'.repeat(50) } })]).map(outcome)).toEqual(['ok']);
    expect(replyBytes(file, PAGE)).toEqual({ kept: BUDGET, counted: BUDGET });
  } finally {
    store.close();
  }
});
