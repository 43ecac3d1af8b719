import type Database from 'better-sqlite3';
import { StartupError } from '../startup-error.js';

/**
 * Migrations, applied in order and recorded in `user_version`. Append; never edit a shipped step.
 * A thread reads back in insertion order by `comments.n`.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE tenants (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL) WITHOUT ROWID;
  CREATE TABLE pages (
    tenant TEXT NOT NULL, page_key TEXT NOT NULL,
    seq INTEGER NOT NULL DEFAULT 0,
    min_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, page_key)
  ) WITHOUT ROWID;
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY, tenant TEXT NOT NULL, page_key TEXT NOT NULL,
    target TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL,
    created_at INTEGER NOT NULL, revision INTEGER NOT NULL, resolved INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER, deleted_seq INTEGER
  );
  CREATE INDEX conversations_page ON conversations (tenant, page_key, created_at);
  CREATE INDEX conversations_deleted ON conversations (deleted_at) WHERE deleted_at IS NOT NULL;
  CREATE TABLE comments (
    id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    author_id TEXT NOT NULL, author_name TEXT NOT NULL, text TEXT NOT NULL,
    created_at INTEGER NOT NULL, edited_at INTEGER, deleted_at INTEGER
  );
  CREATE INDEX comments_conversation ON comments (conversation_id);
  CREATE TABLE changes (
    tenant TEXT NOT NULL, page_key TEXT NOT NULL, seq INTEGER NOT NULL,
    at INTEGER NOT NULL, change TEXT NOT NULL,
    PRIMARY KEY (tenant, page_key, seq)
  ) WITHOUT ROWID;
  CREATE INDEX changes_at ON changes (at);
  CREATE TABLE usage (tenant TEXT PRIMARY KEY, message_count INTEGER NOT NULL, bandwidth INTEGER NOT NULL) WITHOUT ROWID;
  `,
  // 2: fewer B-trees written per change (docs/benchmarks.md, "store"): a commit writes every page it
  // touched to the WAL, and a create touched ten. Conversations are clustered by id (one B-tree, not a
  // table and its key index); a thread by its conversation (one, not three; `n` keeps the order rowid
  // kept); the change log is appended to a rowid table (its ~800-byte rows, clustered by page, split a
  // leaf every few inserts) with a small page index, pruned in rowid order instead of through an index on `at`.
  `
  CREATE TABLE conversations_v2 (
    id TEXT PRIMARY KEY, tenant TEXT NOT NULL, page_key TEXT NOT NULL,
    target TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL,
    created_at INTEGER NOT NULL, revision INTEGER NOT NULL, resolved INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER, deleted_seq INTEGER
  ) WITHOUT ROWID;
  INSERT INTO conversations_v2 SELECT id, tenant, page_key, target, author_id, author_name, created_at, revision, resolved, deleted_at, deleted_seq FROM conversations;
  CREATE TABLE comments_v2 (
    conversation_id TEXT NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    n INTEGER NOT NULL, id TEXT NOT NULL,
    author_id TEXT NOT NULL, author_name TEXT NOT NULL, text TEXT NOT NULL,
    created_at INTEGER NOT NULL, edited_at INTEGER, deleted_at INTEGER,
    PRIMARY KEY (conversation_id, n)
  ) WITHOUT ROWID;
  INSERT INTO comments_v2
    SELECT conversation_id, row_number() OVER (PARTITION BY conversation_id ORDER BY rowid) - 1, id,
           author_id, author_name, text, created_at, edited_at, deleted_at
    FROM comments;
  DROP TABLE comments;
  DROP TABLE conversations;
  ALTER TABLE conversations_v2 RENAME TO conversations;
  ALTER TABLE comments_v2 RENAME TO comments;
  CREATE INDEX conversations_page ON conversations (tenant, page_key, created_at);
  CREATE INDEX conversations_deleted ON conversations (deleted_at) WHERE deleted_at IS NOT NULL;
  CREATE TABLE changes_v2 (tenant TEXT NOT NULL, page_key TEXT NOT NULL, seq INTEGER NOT NULL, at INTEGER NOT NULL, change TEXT NOT NULL);
  INSERT INTO changes_v2 (tenant, page_key, seq, at, change) SELECT tenant, page_key, seq, at, change FROM changes ORDER BY at, tenant, page_key, seq;
  DROP TABLE changes;
  ALTER TABLE changes_v2 RENAME TO changes;
  CREATE UNIQUE INDEX changes_page ON changes (tenant, page_key, seq);
  `,
  // 3: no per-page index on the change log (docs/benchmarks.md, "store"). Each change names the
  // page's previous change (\`prev\`, a rowid) and the page its latest (\`pages.last_change\`): a
  // resync walks that chain back, at most MAX_REPLAY_CHANGES rowid lookups, and a change is one
  // append instead of an append plus an insert into a leaf of whichever page it is for (~13 µs of
  // a create, that index's WAL pages).
  `
  ALTER TABLE changes ADD COLUMN prev INTEGER;
  ALTER TABLE pages ADD COLUMN last_change INTEGER;
  UPDATE changes SET prev = (
    SELECT c.rowid FROM changes c WHERE c.tenant = changes.tenant AND c.page_key = changes.page_key AND c.seq < changes.seq ORDER BY c.seq DESC LIMIT 1
  );
  UPDATE pages SET last_change = (
    SELECT c.rowid FROM changes c WHERE c.tenant = pages.tenant AND c.page_key = pages.page_key ORDER BY c.seq DESC LIMIT 1
  );
  DROP INDEX changes_page;
  `,
  // 4: conversations and threads appended, not inserted into the middle (docs/benchmarks.md, change 19).
  // Keyed by their UUIDs, a new conversation and its first comment each went into a B-tree of
  // ~600- and ~300-byte rows, where SQLite rebalances neighbouring leaves every few inserts, and into
  // a random leaf when a client sends random (v4) ids; the extension's v7 ids only made it the last
  // leaf. A conversation now takes the next integer \`key\` (its row appended to the table's last leaf,
  // the UUID in a small unique index), and a thread is clustered by that key, so a new thread is
  // appended too. WAL pages per create (bench/wal-pages.ts), one / four / ten creates per commit:
  // v7 ids 8.3 → 8.2, 4.8 → 4.3, 3.4 → 3.0; v4 ids 9.3 → 8.4, 7.7 → 5.2, 7.2 → 4.0.
  `
  CREATE TABLE conversations_v4 (
    key INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, tenant TEXT NOT NULL, page_key TEXT NOT NULL,
    target TEXT NOT NULL, author_id TEXT NOT NULL, author_name TEXT NOT NULL,
    created_at INTEGER NOT NULL, revision INTEGER NOT NULL, resolved INTEGER NOT NULL DEFAULT 0,
    deleted_at INTEGER, deleted_seq INTEGER
  );
  INSERT INTO conversations_v4 (id, tenant, page_key, target, author_id, author_name, created_at, revision, resolved, deleted_at, deleted_seq)
    SELECT id, tenant, page_key, target, author_id, author_name, created_at, revision, resolved, deleted_at, deleted_seq FROM conversations ORDER BY created_at, id;
  CREATE TABLE comments_v4 (
    conversation INTEGER NOT NULL REFERENCES conversations (key) ON DELETE CASCADE,
    n INTEGER NOT NULL, id TEXT NOT NULL,
    author_id TEXT NOT NULL, author_name TEXT NOT NULL, text TEXT NOT NULL,
    created_at INTEGER NOT NULL, edited_at INTEGER, deleted_at INTEGER,
    PRIMARY KEY (conversation, n)
  ) WITHOUT ROWID;
  INSERT INTO comments_v4
    SELECT v.key, c.n, c.id, c.author_id, c.author_name, c.text, c.created_at, c.edited_at, c.deleted_at
    FROM comments c JOIN conversations_v4 v ON v.id = c.conversation_id;
  DROP TABLE comments;
  DROP TABLE conversations;
  ALTER TABLE conversations_v4 RENAME TO conversations;
  ALTER TABLE comments_v4 RENAME TO comments;
  CREATE INDEX conversations_page ON conversations (tenant, page_key, created_at);
  CREATE INDEX conversations_deleted ON conversations (deleted_at) WHERE deleted_at IS NOT NULL;
  `,
  // The page's latest change before the newest: written by the same upsert that takes the next seq
  // and the newest change's rowid, because RETURNING sees only the new values (sqlite-store.ts,
  // nextSeq). Read only right after it is written, so existing rows need no value.
  `
  ALTER TABLE pages ADD COLUMN prev_change INTEGER;
  `,
  // 6: a new conversation is its own change (docs/benchmarks.md, change 25). A create wrote its whole
  // body twice, once as the conversation and its first comment and once more as a ~800-byte row of
  // the change log, and linked that row into its page's chain. Its row now keeps the page `seq` it
  // took (and its broadcastId when that is not its id), and a resync reads a page's creates after
  // the client's seq from the conversations by this index, beside the log of updates and deletions.
  // Rows written before keep seq 0: their creates are in the log already, and are replayed from it.
  `
  ALTER TABLE conversations ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE conversations ADD COLUMN broadcast_id TEXT;
  DROP INDEX conversations_page;
  CREATE INDEX conversations_page ON conversations (tenant, page_key, seq);
  `,
  // 7: deleted comments of live conversations are pruned after the retention (sqlite-store.ts, prune),
  // found by this index instead of an hourly scan of every thread. Partial: a comment is written with
  // deleted_at NULL, so adding one (the hot path) writes nothing here; only a deletion adds an entry.
  `
  CREATE INDEX comments_deleted ON comments (deleted_at) WHERE deleted_at IS NOT NULL;
  `,
  // 8: the page's replies, in the bytes LIMITS.pageReplyBytes caps (sqlite-store.ts, `nextSeq`): the
  // live replies (n > 0) of its live conversations, each its text's UTF-8 bytes plus 200
  // (LIMITS.replyOverhead when this step was written; a new value needs a step that counts again).
  // Kept on the page row that every update and deletion already upserts for its seq, so the check
  // costs no statement, and a create, which writes no page row, nothing. A page with replies has a
  // row: adding each of them took a seq from it.
  `
  ALTER TABLE pages ADD COLUMN reply_bytes INTEGER NOT NULL DEFAULT 0;
  UPDATE pages SET reply_bytes = (
    SELECT coalesce(sum(length(CAST(c.text AS BLOB)) + 200), 0)
    FROM conversations v JOIN comments c ON c.conversation = v.key
    WHERE v.tenant = pages.tenant AND v.page_key = pages.page_key AND v.deleted_at IS NULL AND c.n > 0 AND c.deleted_at IS NULL
  );
  `,
  // 9: undo of a deletion (text-chat:restore). A deletion keeps its conversation's thread and sets
  // `restorable_until` (its time plus the restore window) when it can be undone; NULL is a tombstone
  // that cannot: those deleted before this step (their replies were erased at once) and those
  // deleted while the store was at its size limit (the replies go at once, to make room). The change
  // log may now hold restores (`restored-text-chat`, sqlite-store.ts, LoggedRestore), which an older
  // server would replay to its clients unread: it refuses this database (schema_too_new) instead.
  // A create writes nothing more: the column is NULL by default, and only deletions set it.
  `
  ALTER TABLE conversations ADD COLUMN restorable_until INTEGER;
  `,
];

/** The schema this code writes: a database at a higher `user_version` was written by a newer Gloss. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Refuses a database a newer Gloss wrote. This code would not know its new tables or columns and
 * would write rows without them (a create that skips a newer bookkeeping column, say), corrupting
 * the data for the newer version the operator rolled back from. Called before anything writes.
 */
export function assertSchemaKnown(db: Database.Database, file: string): void {
  const current = userVersion(db, file);
  if (current > SCHEMA_VERSION) {
    throw new StartupError(
      'schema_too_new',
      `${file} has schema version ${current}, newer than this server's ${SCHEMA_VERSION}: it was written by a newer Gloss. ` +
        `Run that version (or a later one), or restore a backup taken before it was upgraded (what was written since is then lost); the database was left unchanged.`,
    );
  }
  assertGlossDatabase(db, file, current);
}

/**
 * The file's `user_version`, or a refusal when it is not a SQLite database at all (a wrong GLOSS_DB,
 * a truncated copy): SQLite opens any file lazily and says so only at this first read, which used to
 * end the server with a stack trace. Nothing has been written yet: no pragma before this one writes.
 */
function userVersion(db: Database.Database, file: string): number {
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (code !== 'SQLITE_NOTADB') throw err;
    throw new StartupError(
      'not_a_database',
      `${file} is not a SQLite database (SQLite: ${(err as Error).message}). Point GLOSS_DB at Gloss's database file, ` +
        `or restore it from a backup; the file was left unchanged.`,
    );
  }
}

/**
 * Refuses a SQLite database that is not Gloss's, before anything writes to it. At user_version 0,
 * migration 1 would add Gloss's tables into someone else's database (and run on it) when their
 * names are free, or fail halfway on a name it shares, after `journal_mode = WAL` had rewritten its
 * header. So version 0 must be empty (a new file: the server creates an empty one), and a versioned
 * one must have `tenants`, which every migration keeps. A database at a version above ours is judged
 * by assertSchemaKnown alone: a newer Gloss's tables are not ours to know.
 */
function assertGlossDatabase(db: Database.Database, file: string, version: number): void {
  const names = db
    .prepare<[], string>("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
    .pluck()
    .all();
  const gloss = names.includes('tenants');
  if (version === 0 ? names.length === 0 : gloss) return;
  const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
  throw new StartupError(
    'not_gloss_database',
    `${file} is a SQLite database, but not Gloss's (schema version ${version}, tables: ${shown || 'none'}). ` +
      `Point GLOSS_DB at Gloss's database, or at a path that does not exist yet for a new one; the file was left unchanged.`,
  );
}

/**
 * Refuses a database whose pages are damaged (a disk error, a copy taken mid-write without SQLite's
 * backup API, a file edited by hand) before the server serves it: otherwise it starts, and users
 * meet the damage one operation at a time as `store_failed`, while each write risks spreading it.
 * PRAGMA quick_check reads every page of the file and checks each B-tree's structure (not that
 * indexes match their tables, which integrity_check adds at twice the time). Measured on this
 * machine: 150-210 ms for 100,000 typical conversations (a 24.6 MB file), about 8 ms per MB, read
 * from the page cache; 300 ms for integrity_check. It grows with the file: 1.5-7.5 s for 1 GB from the page
 * cache, 20-35 s from the disk (2026-12-05), so a start runs it only when GLOSS_DB_CHECK says
 * (start-check.ts: by default after a crash, a kill or a change made while the server was stopped,
 * not after its own clean stop). Its answer names pages and tables, never their contents. A damaged page can also raise SQLITE_CORRUPT
 * from the check itself, or later during the migrations: app.ts refuses that the same way.
 */
export function assertUndamaged(db: Database.Database, file: string): void {
  let problems: { quick_check: string }[];
  try {
    problems = db.pragma('quick_check(3)') as { quick_check: string }[];
  } catch (err) {
    // Damage to the first pages of a B-tree stops the check itself.
    if (!String((err as { code?: unknown }).code).startsWith('SQLITE_CORRUPT')) throw err;
    throw corruptDatabase(file, (err as Error).message);
  }
  if (problems[0]?.quick_check === 'ok') return;
  throw corruptDatabase(file, problems.map((p) => p.quick_check).join('; '));
}

/** The refusal of a damaged database file, with what SQLite found (no user data: pages, tables, indexes). */
export function corruptDatabase(file: string, found: string): StartupError {
  return new StartupError(
    'database_corrupt',
    `${file} is damaged (SQLite: ${found.replace(/\s+/g, ' ').slice(0, 300)}). Stop here and restore the latest backup; ` +
      `keep the damaged file (and any -wal file beside it) until the backup is in place. The file was left as it was.`,
  );
}

/** Applies the steps not yet applied; `upTo` stops early (the migration test builds an old database with it). */
export function migrate(db: Database.Database, upTo = MIGRATIONS.length): void {
  assertSchemaKnown(db, db.name);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current >= upTo) return;
  // SQLite's table-rebuild procedure: with foreign keys on, dropping the old conversations table would
  // cascade into the comments. The pragma is a no-op inside a transaction, hence out here.
  const enforced = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    for (let i = current; i < upTo; i++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[i]!);
        const broken = db.pragma('foreign_key_check') as unknown[];
        if (broken.length > 0) throw new Error(`migration ${i + 1} broke ${broken.length} references`);
        db.pragma(`user_version = ${i + 1}`);
      })();
    }
  } finally {
    db.pragma(`foreign_keys = ${enforced ? 'ON' : 'OFF'}`);
  }
}
