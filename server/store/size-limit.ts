import type Database from 'better-sqlite3';

/**
 * Pages kept back for deletions when the database is at its limit: 1 MiB at SQLite's default 4 KiB
 * page, an eighth of a limit smaller than 8 MiB. A deletion writes a little before it frees anything
 * (a change-log row, the tombstone's columns and index entries: a few hundred bytes, a new page only
 * when a B-tree leaf splits), so with no pages left a store full of creates could not be emptied by
 * its users. 256 pages hold thousands of deletions; deleting a conversation with replies frees pages
 * that later writes reuse.
 */
const DELETION_RESERVE_PAGES = 256;

/**
 * How far below the write limit a SQLITE_FULL still counts as the limit: one operation can need this
 * many new pages at most (a 64 KB event in overflow pages, plus the leaf splits of the B-trees a
 * create writes), and SQLite undoes the pages of the statement that failed before we can look.
 */
const ONE_OPERATION_PAGES = 64;

/**
 * GLOSS_DB_MAX_MB, enforced by SQLite itself with `PRAGMA max_page_count`: a write that would grow
 * the file past it fails with SQLITE_FULL, undone like any failed statement, and the store refuses
 * it as `store_full`. Free pages inside the file (what deletions and pruning freed) are reused
 * first, so writes succeed again once enough was deleted. The pragma is per connection (the
 * checkpointer's connection only copies pages the writer allocated) and not stored in the file, so
 * every start sets it again: raising the limit is a restart with a larger value. SQLite never lowers
 * it below the file's current size: a limit set under what the file holds already makes it full.
 *
 * Creates, replies, edits and resolves may grow the file to the limit minus a reserve; deletions (of
 * conversations and of replies) and pruning run with the whole limit, so they still go through when
 * the rest is refused. Should even the reserve be spent, a deletion is refused `store_full` too.
 */
export class SizeLimit {
  /** The limit in pages, and the part of it writes other than deletions may use. */
  readonly pages: number;
  readonly writePages: number;
  private readonly forWrites: Database.Statement;
  private readonly forDeletions: Database.Statement;
  private readonly pageCount: Database.Statement<[], number>;

  constructor(db: Database.Database, maxBytes: number) {
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    this.pages = Math.max(1, Math.floor(maxBytes / pageSize));
    this.writePages = this.pages - Math.min(DELETION_RESERVE_PAGES, Math.floor(this.pages / 8));
    // Prepared once: switching for a deletion is then one VDBE op, not a parse.
    this.forWrites = db.prepare(`PRAGMA max_page_count = ${this.writePages}`);
    this.forDeletions = db.prepare(`PRAGMA max_page_count = ${this.pages}`);
    this.pageCount = db.prepare<[], number>('PRAGMA page_count').pluck();
    this.forWrites.run();
  }

  /** Runs `fn` (a deletion, pruning) with the reserve available, then narrows the limit again. */
  deleting<T>(fn: () => T): T {
    this.forDeletions.run();
    try {
      return fn();
    } finally {
      this.forWrites.run();
    }
  }

  /**
   * Whether a SQLITE_FULL just met was this limit rather than the disk: the file is within one
   * operation of the write limit. A disk that fills up while the file is far below it is the disk.
   */
  reached(): boolean {
    try {
      return this.pageCount.get()! + ONE_OPERATION_PAGES >= this.writePages;
    } catch {
      return false;
    }
  }
}
