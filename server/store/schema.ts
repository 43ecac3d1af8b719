import type Database from 'better-sqlite3';

/**
 * Migrations, applied in order and recorded in `user_version`. Append; never edit a shipped step.
 * Comments keep SQLite's implicit rowid so a thread reads back in insertion order.
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
];

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let i = current; i < MIGRATIONS.length; i++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[i]!);
      db.pragma(`user_version = ${i + 1}`);
    })();
  }
}
