import fs from 'node:fs';
import Database from 'better-sqlite3';
import { LIMITS } from '../../protocol/limits.js';

/**
 * Every seq a page's changes took, in order: its updates and deletions from the change log, its
 * creates from their conversations (server/store/schema.ts, migration 6). A gap-free 1..n, each once,
 * is what every client's replay relies on.
 */
export function pageSeqs(db: Database.Database, pageKey: string): number[] {
  return (
    db
      .prepare('SELECT seq FROM changes WHERE page_key = ? UNION ALL SELECT seq FROM conversations WHERE page_key = ? AND seq > 0 ORDER BY seq')
      .all(pageKey, pageKey) as { seq: number }[]
  ).map((r) => r.seq);
}

/**
 * A page's seq as the server reads it: the larger of its row's (updates and deletions) and its newest
 * create's, which only the conversation row records (server/store/sqlite-store.ts, `page`).
 */
export function pageSeq(db: Database.Database, pageKey: string): number {
  const sql = 'SELECT max((SELECT coalesce(max(seq), 0) FROM pages WHERE page_key = ?), (SELECT coalesce(max(seq), 0) FROM conversations WHERE page_key = ?)) AS n';
  return (db.prepare(sql).get(pageKey, pageKey) as { n: number }).n;
}

/** What the database holds, read straight from the SQLite file the server writes. */
export function dbState(dbPath: string) {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      conversations: count('SELECT count(*) AS n FROM conversations'),
      liveConversations: count('SELECT count(*) AS n FROM conversations WHERE deleted_at IS NULL'),
      comments: count('SELECT count(*) AS n FROM comments'),
      changes: count('SELECT count(*) AS n FROM changes'),
      // Every seq recorded, in page rows and in conversations (a create writes only its conversation's).
      seqTotal: count('SELECT (SELECT coalesce(sum(seq), 0) FROM pages) + (SELECT coalesce(sum(seq), 0) FROM conversations) AS n'),
      /** Every conversation's (id, revision, deleted), for comparing a client's state with the truth. */
      rows: db.prepare('SELECT id, revision, deleted_at IS NOT NULL AS deleted FROM conversations ORDER BY id').all() as { id: string; revision: number; deleted: number }[],
    };
  } finally {
    db.close();
  }
}

/**
 * A page's replies' bytes as the server keeps them (`pages.reply_bytes`, LIMITS.pageReplyBytes) and as
 * counted afresh from its rows, the way schema.ts migration 8 counts them: the two must always agree.
 */
export function replyBytes(dbPath: string, pageKey: string): { kept: number; counted: number } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const kept = db.prepare('SELECT reply_bytes AS n FROM pages WHERE page_key = ?').get(pageKey) as { n: number } | undefined;
    const counted = db
      .prepare(
        `SELECT coalesce(sum(length(CAST(c.text AS BLOB)) + ?), 0) AS n FROM conversations v JOIN comments c ON c.conversation = v.key
         WHERE v.page_key = ? AND v.deleted_at IS NULL AND c.n > 0 AND c.deleted_at IS NULL`,
      )
      .get(LIMITS.replyOverhead, pageKey) as { n: number };
    return { kept: kept?.n ?? 0, counted: counted.n };
  } finally {
    db.close();
  }
}

/**
 * Damages a table in the database file: the first 64 bytes of its root page overwritten, its B-tree
 * header and cell pointers, which SQLite reads to find anything on that page. Bytes inside a cell's
 * text would be read back as other text: SQLite keeps no checksum of its pages, so no check can see
 * that damage. Only the file: a page the WAL holds a newer copy of would be read from there.
 */
export function damageTable(dbPath: string, table: string): void {
  const db = new Database(dbPath, { readonly: true });
  const { root, size } = db.prepare('SELECT rootpage AS root, (SELECT page_size FROM pragma_page_size) AS size FROM sqlite_schema WHERE name = ?').get(table) as { root: number; size: number };
  db.close();
  const fd = fs.openSync(dbPath, 'r+');
  fs.writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (root - 1) * size);
  fs.closeSync(fd);
}
