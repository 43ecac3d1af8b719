import Database from 'better-sqlite3';
import { LIMITS, MAX_REPLAY_CHANGES, RESTORE_WINDOW_MS } from '../../protocol/limits.js';
import { ProtocolError } from '../../protocol/errors.js';
import type { Change, ChatDelta, CreateRequest, DeleteRequest, DeletedTextChat, NewTextChat, RestoreRequest, UpdateRequest } from '../../protocol/events.js';
import type { Comment, Conversation } from '../../protocol/model.js';
import type { Identity } from '../auth/identity.js';
import { mayEditComment, mayRemove } from '../domain/policy.js';
import { Checkpointer, type CheckpointOptions } from './checkpointer.js';
import { createPrivately } from './private-files.js';
import { assertSchemaKnown, migrate } from './schema.js';
import { SizeLimit } from './size-limit.js';
import { checkAtStart, forgetShutdown, lastShutdown, recordShutdown, type StartCheck, type StartCheckMode } from './start-check.js';
import { StorageFault, storageCode } from './storage-fault.js';
import { toComment, toConversation, toCreateChange, type CommentRow, type ConversationRow, type CreatedRow } from './rows.js';
import type { Mutation, Outcome, PageSnapshot, PageSync, Store } from './types.js';

/**
 * What taking a page's next seq returns: the seq, the rowid of its change, the page's latest change
 * until now, and its replies' bytes (LIMITS.pageReplyBytes) with the step's own added.
 */
interface PageStep {
  seq: number;
  changeRowid: number;
  prev: number | null;
  replyBytes: number;
}

/** A change applied to a conversation's rows, and what it adds to its page's replies' bytes (negative: frees). */
interface Applied {
  delta: ChatDelta;
  replyBytes: number;
}

/** What a reply counts toward its page's LIMITS.pageReplyBytes; the same as schema.ts migration 8 counts in SQL. */
function replyBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8') + LIMITS.replyOverhead;
}

export interface StoreLimits {
  /**
   * LIMITS.pageReplyBytes unless set: the server's GLOSS_PAGE_REPLY_BYTES, and tests, which fill a
   * page with a few replies instead of megabytes. Not on the wire: a client cannot know a page's total.
   */
  pageReplyBytes?: number;
  /** GLOSS_DB_MAX_MB in bytes: the database's size limit (size-limit.ts); unset, the disk is the limit. */
  maxBytes?: number;
  /** RESTORE_WINDOW_MS unless set: the server's GLOSS_RESTORE_WINDOW_MS, and tests, which wait it out. */
  restoreWindowMs?: number;
}

/**
 * How a restore is kept in the change log: only which conversation came back at which seq. A resync
 * rebuilds its `new-text-chat` from the conversation's row and thread as they are then (changesAfter),
 * as creates are rebuilt from theirs: logging the whole thread would write up to megabytes per restore,
 * and a loop of deletions and restores would fill the log with copies. The thread as it is now may be
 * newer than at the restore; the changes after it in the replay then carry revisions it already has,
 * which clients skip (reducer.ts, applyDelta), and a later deletion still follows it. Never sent as is.
 */
interface LoggedRestore {
  type: 'restored-text-chat';
  broadcastId: string;
  seq: number;
  id: string;
}

/**
 * The seq of a page's newest create (its `tenant` and `page_key` bound in that order): the last entry
 * of the page in the conversations_page index, one lookup however many conversations the page holds.
 */
const NEWEST_CREATE = '(SELECT coalesce(max(seq), 0) FROM conversations WHERE tenant = ? AND page_key = ?)';

/**
 * The embedded default store: one SQLite file, WAL mode, every mutation one synchronous transaction
 * (a savepoint when the realtime layer groups a turn's operations with runGroup, see group-commit.ts).
 */
export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly q;
  private readonly checkpointer: Checkpointer | null = null;
  /** Runs `fn` in a transaction (a savepoint when nested). Built once: db.transaction() per call cost ~6 % of a create. */
  private readonly transaction: <T>(fn: () => T) => T;
  /** Set while runGroup's optimistic pass runs its operations bare, inside its one transaction. */
  private bare = false;
  /**
   * Live conversations of pages past the cap's seq, with the seq they were counted at (overCap).
   * Only pages with `conversationsPerPage` changes behind them get an entry, one small record each.
   */
  private readonly liveCounts = new Map<string, { live: number; seq: number }>();

  /** The page's replies' budget in bytes (StoreLimits). */
  private readonly pageReplyBytes: number;
  /** How long after its deletion a conversation may be restored (StoreLimits). */
  private readonly restoreWindowMs: number;
  private readonly size: SizeLimit | null = null;

  /** Whether the start ran quick_check, and why (start-check.ts): the server logs it as `integrity_check`. */
  readonly startCheck: StartCheck;
  /**
   * Whether a clean close may record the file as whole (start-check.ts): it was checked at this start
   * or left whole by the last clean close, and no operation met damage or an I/O error since.
   */
  private whole: boolean;
  /** Whether this store keeps the record of clean closes: the server's, given GLOSS_DB_CHECK. */
  private readonly recording: boolean;
  private closed = false;

  /**
   * `check` is GLOSS_DB_CHECK, which the server passes. Without it (the token command, tests, the
   * benchmarks) the store checks at every open and leaves the record of clean closes alone: what such
   * a tool writes changes the file, so the server's next start checks it.
   */
  constructor(private readonly file: string, checkpoints: CheckpointOptions = {}, limits: StoreLimits = {}, check?: StartCheckMode) {
    this.pageReplyBytes = limits.pageReplyBytes ?? LIMITS.pageReplyBytes;
    this.restoreWindowMs = limits.restoreWindowMs ?? RESTORE_WINDOW_MS;
    const onDisk = file !== ':memory:';
    if (onDisk) createPrivately(file);
    this.recording = onDisk && check !== undefined;
    const shutdown = this.recording ? lastShutdown(file) : 'no_clean_shutdown';
    this.db = new Database(file);
    // Before the first pragma that writes (journal_mode rewrites the header of a rollback-journal file).
    try {
      assertSchemaKnown(this.db, file);
      this.startCheck = checkAtStart(this.db, file, check ?? 'always', shutdown);
    } catch (err) {
      this.db.close();
      throw err;
    }
    this.whole = this.startCheck.ran || shutdown === 'clean_shutdown';
    if (this.recording) forgetShutdown(file);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed change survives a process crash; only an OS crash or power
    // loss can lose the last moments. That is the trade every SQLite-backed server makes.
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);
    // After the migrations: a step that needs room is not refused by a limit set for users' writes.
    if (limits.maxBytes !== undefined) this.size = new SizeLimit(this.db, limits.maxBytes);
    if (file !== ':memory:') {
      // Checkpoints off the event loop (see checkpointer.ts); close() still checkpoints the rest.
      this.db.pragma('wal_autocheckpoint = 0');
      // A rewound WAL file keeps its size; past this it is cut back.
      this.db.pragma('journal_size_limit = 67108864');
      this.checkpointer = new Checkpointer(file, checkpoints);
    }
    const db = this.db;
    // BEGIN IMMEDIATE: an operation reads before it writes (its checks come first), and a deferred
    // transaction that read would have to upgrade its read lock to the writer's lock. While the
    // checkpointer's RESTART holds that lock waiting for readers, SQLite answers such an upgrade
    // SQLITE_BUSY at once, without the busy timeout (the two would deadlock). Seen as "database is
    // locked" within 20,000 single creates in bench/store-micro.ts when a first version of the page
    // cap read the page's seq before the insert; gone with IMMEDIATE, at no measurable cost. Updates
    // and deletions read first too. Immediate takes the writer's lock first, waiting its turn
    // through busy_timeout. Nested calls are savepoints either way.
    this.transaction = db.transaction((fn: () => unknown) => fn()).immediate as <T>(fn: () => T) => T;
    this.q = {
      tenant: db.prepare<[string], { id: string }>('SELECT id FROM tenants WHERE id = ?'),
      addTenant: db.prepare('INSERT OR IGNORE INTO tenants (id, created_at) VALUES (?, ?)'),
      // A page's seq is the larger of its row's, which updates and deletions take, and its newest
      // create's, which only the conversation row records: a create writes no page row (change 26).
      page: db.prepare<[string, string, string, string], { seq: number; min_seq: number; last_change: number | null }>(
        `SELECT max(coalesce(p.seq, 0), ${NEWEST_CREATE}) AS seq,
                coalesce(p.min_seq, 0) AS min_seq, p.last_change
         FROM (SELECT 1) LEFT JOIN pages p ON p.tenant = ? AND p.page_key = ?`,
      ),
      // The page's next seq (past its newest create too), the rowid its change will take (SQLite's own
      // choice for a rowid table, max + 1), made the page's latest at once, and the latest until now
      // for the change to link to (schema.ts, migrations 3 and 5): one statement where a second UPDATE
      // of the page row followed every insert into the log. It adds the change's bytes to the page's
      // replies' (migration 8) and returns the sum: the budget check rides on the row the seq needs.
      nextSeq: db.prepare<[string, string, string, string, number], PageStep>(
        `INSERT INTO pages (tenant, page_key, seq, last_change, reply_bytes)
         VALUES (?, ?, ${NEWEST_CREATE} + 1, (SELECT coalesce(max(rowid), 0) + 1 FROM changes), ?)
         ON CONFLICT (tenant, page_key) DO UPDATE SET seq = max(seq + 1, excluded.seq), prev_change = last_change, last_change = excluded.last_change,
           reply_bytes = reply_bytes + excluded.reply_bytes
         RETURNING seq, prev_change AS prev, last_change AS changeRowid, reply_bytes AS replyBytes`,
      ),
      conversation: db.prepare<[string], ConversationRow>('SELECT * FROM conversations WHERE id = ?'),
      pageConversations: db.prepare<[string, string], ConversationRow>(
        'SELECT * FROM conversations WHERE tenant = ? AND page_key = ? AND deleted_at IS NULL ORDER BY created_at, id',
      ),
      pageComments: db.prepare<[string, string], CommentRow>(
        `SELECT c.* FROM comments c JOIN conversations v ON v.key = c.conversation
         WHERE v.tenant = ? AND v.page_key = ? AND v.deleted_at IS NULL AND c.deleted_at IS NULL ORDER BY c.conversation, c.n`,
      ),
      // Comments are filed under their conversation's integer key (schema.ts, migration 4).
      comments: db.prepare<[number], CommentRow>('SELECT * FROM comments WHERE conversation = ? AND deleted_at IS NULL ORDER BY n'),
      // Comment ids are unique within their conversation: every request names both.
      comment: db.prepare<[number, string], CommentRow>('SELECT * FROM comments WHERE conversation = ? AND id = ?'),
      // Stops counting at the cap: a full page costs the same lookup however the limit is set.
      liveConversations: db.prepare<[string, string, number], { n: number }>(
        'SELECT count(*) AS n FROM (SELECT 1 FROM conversations WHERE tenant = ? AND page_key = ? AND deleted_at IS NULL LIMIT ?)',
      ),
      commentCount: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM comments WHERE conversation = ? AND deleted_at IS NULL'),
      // Positional parameters on the create path: binding from an object looks up each name (~0.8 µs a statement).
      // The row takes the page's next seq as it is inserted (the `page` statement says why both tables),
      // and returns nothing when the id exists: a retry or a clash then pays for a lookup.
      insertConversation: db.prepare<
        [string, string, string, string, string, string, number, string | null, string, string, string, string],
        { key: number; seq: number }
      >(
        `INSERT INTO conversations (id, tenant, page_key, target, author_id, author_name, created_at, revision, resolved, broadcast_id, seq)
         VALUES (?, ?, ?, ?, ?, ?, ?, 1, 0, ?, max(
           (SELECT coalesce(max(seq), 0) FROM pages WHERE tenant = ? AND page_key = ?),
           ${NEWEST_CREATE}) + 1)
         ON CONFLICT (id) DO NOTHING RETURNING key, seq`,
      ),
      // A page's creates after a seq, as a resync replays them (tombstones too) with the first comment's
      // text as it is now. A row without its first comment drops out, and the count then asks for a snapshot.
      createsAfter: db.prepare<[string, string, number], CreatedRow>(
        `SELECT v.*, c.text FROM conversations v JOIN comments c ON c.conversation = v.key AND c.n = 0
         WHERE v.tenant = ? AND v.page_key = ? AND v.seq > ? ORDER BY v.seq`,
      ),
      insertFirstComment: db.prepare<[number | bigint, string, string, string, string, number]>(
        `INSERT INTO comments (conversation, n, id, author_id, author_name, text, created_at) VALUES (?, 0, ?, ?, ?, ?, ?)`,
      ),
      // A pruned deleted reply that was the thread's last frees its n for the next one: n only orders
      // the thread (still after every comment kept), nothing refers to it.
      appendComment: db.prepare(
        `INSERT INTO comments (conversation, n, id, author_id, author_name, text, created_at)
         SELECT @conversation, coalesce(max(n), -1) + 1, @id, @author_id, @author_name, @text, @created_at
         FROM comments WHERE conversation = @conversation`,
      ),
      editComment: db.prepare('UPDATE comments SET text = ?, edited_at = ? WHERE conversation = ? AND id = ?'),
      deleteComment: db.prepare('UPDATE comments SET deleted_at = ? WHERE conversation = ? AND id = ?'),
      bumpRevision: db.prepare('UPDATE conversations SET revision = revision + 1 WHERE key = ? RETURNING revision'),
      setResolved: db.prepare('UPDATE conversations SET resolved = ? WHERE key = ?'),
      deleteConversation: db.prepare('UPDATE conversations SET deleted_at = ?, deleted_seq = ?, restorable_until = ? WHERE key = ?'),
      // At the size limit a deletion is how users make room: the replies go at once (and with them the undo).
      dropReplies: db.prepare<[number], { text: string; live: number }>('DELETE FROM comments WHERE conversation = ? AND n > 0 RETURNING text, deleted_at IS NULL AS live'),
      // A deletion keeps the thread with the tombstone: a restore (within the restore window) brings it
      // back as it was. Only the live replies are read, for the bytes the page's replies give back.
      // The replies go at the first prune after the window (pruneRestorable); the first comment stays
      // with the tombstone until retention removes both, since a resync replays the create of a
      // conversation deleted since (its text as the change log kept it before schema 6).
      liveReplies: db.prepare<[number], { text: string }>('SELECT text FROM comments WHERE conversation = ? AND n > 0 AND deleted_at IS NULL'),
      restoreConversation: db.prepare('UPDATE conversations SET deleted_at = NULL, deleted_seq = NULL, restorable_until = NULL WHERE key = ?'),
      // Replies of conversations deleted before the restore window, found through the partial index
      // conversations_deleted: they can no longer come back, and their room is given back.
      pruneRestorable: db.prepare(
        'DELETE FROM comments WHERE n > 0 AND conversation IN (SELECT key FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?)',
      ),
      insertChange: db.prepare('INSERT INTO changes (rowid, tenant, page_key, seq, at, change, prev) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      changeAt: db.prepare<[number], { tenant: string; page_key: string; seq: number; change: string; prev: number | null }>(
        'SELECT tenant, page_key, seq, change, prev FROM changes WHERE rowid = ?',
      ),
      addUsage: db.prepare(
        `INSERT INTO usage (tenant, message_count, bandwidth) VALUES (?, ?, ?)
         ON CONFLICT (tenant) DO UPDATE SET message_count = message_count + excluded.message_count, bandwidth = bandwidth + excluded.bandwidth`,
      ),
      usageAll: db.prepare<[], { tenant: string; message_count: number; bandwidth: number }>('SELECT * FROM usage ORDER BY tenant'),
      usageOne: db.prepare<[string], { tenant: string; message_count: number; bandwidth: number }>('SELECT * FROM usage WHERE tenant = ?'),
      // The log is pruned in insertion (rowid) order up to the first change that is recent enough: the
      // scan reads only what it removes, with no index on `at` to write on every change.
      pruneLimit: db.prepare<[number], { r: number }>('SELECT rowid AS r FROM changes WHERE at >= ? ORDER BY rowid LIMIT 1'),
      prunedPages: db.prepare<[number], { tenant: string; page_key: string; m: number }>(
        'SELECT tenant, page_key, max(seq) AS m FROM changes WHERE rowid < ? GROUP BY tenant, page_key',
      ),
      raiseMinSeq: db.prepare('UPDATE pages SET min_seq = max(min_seq, ?) WHERE tenant = ? AND page_key = ?'),
      pruneChanges: db.prepare('DELETE FROM changes WHERE rowid < ?'),
      pruneTombstones: db.prepare('DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at < ?'),
      // Deleted comments of conversations still alive (a deleted conversation's go with it, above),
      // through the partial index comments_deleted (schema.ts, migration 7). `n > 0` although only a
      // reply can be deleted: the opening comment is the create a resync replays (createsAfter).
      pruneDeletedComments: db.prepare('DELETE FROM comments WHERE deleted_at IS NOT NULL AND deleted_at < ? AND n > 0'),
    };
  }

  tenantExists(tenant: string): boolean {
    return this.q.tenant.get(tenant) !== undefined;
  }

  ensureTenant(tenant: string): void {
    this.q.addTenant.run(tenant, Date.now());
  }

  /** The page's seq, replay floor and latest change; a page nothing happened on yet is at seq 0. */
  private page(tenant: string, pageKey: string) {
    return this.q.page.get(tenant, pageKey, tenant, pageKey)!;
  }

  private pageSeq(tenant: string, pageKey: string): number {
    return this.page(tenant, pageKey).seq;
  }

  /**
   * Takes the page's next seq for an update or a deletion (see `nextSeq`), adding `replyBytes` to
   * the page's replies. A change that adds any and takes them past the budget is refused: the throw
   * undoes this step and the rows the change wrote before it, as for every refusal (its transaction,
   * or its savepoint in runGroup), so no seq is taken and nothing logged. One that frees bytes, or
   * adds none, always passes, even on a page over a budget the operator lowered since.
   */
  private nextStep(tenant: string, pageKey: string, replyBytes = 0): PageStep {
    const step = this.q.nextSeq.get(tenant, pageKey, tenant, pageKey, replyBytes)!;
    if (replyBytes > 0 && step.replyBytes > this.pageReplyBytes) {
      throw new ProtocolError('page_replies_full', `the replies on a page hold at most ${this.pageReplyBytes} bytes`);
    }
    return step;
  }

  /** Every operation runs through here: its own transaction, a savepoint in a group, bare in an optimistic group. */
  private atomic<T>(fn: () => T): T {
    if (this.bare) return fn();
    try {
      return this.transaction(fn);
    } catch (err) {
      this.suspect(storageCode(err));
      throw err;
    }
  }

  /**
   * Damage, or an I/O error that may have left some, met by an operation: the next start must check
   * the file whatever GLOSS_DB_CHECK=auto finds (start-check.ts), so this run's close records nothing.
   */
  private suspect(code: string | null): void {
    if (code && /^SQLITE_(CORRUPT|NOTADB|IOERR)/.test(code)) this.whole = false;
  }

  private load(row: ConversationRow): Conversation {
    return toConversation(row, this.q.comments.all(row.key).map(toComment));
  }

  snapshot(tenant: string, pageKey: string): PageSnapshot {
    return this.atomic((): PageSnapshot => {
      const byConversation = new Map<number, Comment[]>();
      for (const row of this.q.pageComments.all(tenant, pageKey)) {
        const list = byConversation.get(row.conversation);
        if (list) list.push(toComment(row));
        else byConversation.set(row.conversation, [toComment(row)]);
      }
      const conversations = this.q.pageConversations.all(tenant, pageKey).map((row) => toConversation(row, byConversation.get(row.key) ?? []));
      return { pageKey, seq: this.pageSeq(tenant, pageKey), conversations };
    });
  }

  changesSince(tenant: string, pageKey: string, sinceSeq: number): PageSync {
    return this.atomic((): PageSync => {
      const page = this.page(tenant, pageKey);
      // A seq ahead of ours means the client knew another database (restored backup, new server):
      // only a full replacement makes it consistent again.
      const replayable = sinceSeq <= page.seq && sinceSeq >= page.min_seq && page.seq - sinceSeq <= MAX_REPLAY_CHANGES;
      const changes = replayable ? this.changesAfter(tenant, pageKey, page, sinceSeq) : null;
      if (!changes) return { ...this.snapshot(tenant, pageKey), reset: true };
      return { pageKey, seq: page.seq, changes };
    });
  }

  /**
   * The page's changes after `sinceSeq`, in seq order: its creates from the conversations (schema.ts,
   * migration 6) and its other changes from the log, walking the page's chain back from the latest.
   * Null unless the two together hold every seq from `sinceSeq + 1` on (the caller sends a snapshot).
   */
  private changesAfter(tenant: string, pageKey: string, page: { seq: number; last_change: number | null }, sinceSeq: number): Change[] | null {
    const wanted = page.seq - sinceSeq;
    const logged: Change[] = [];
    let below = page.seq + 1;
    for (let at = page.last_change; at !== null && logged.length <= wanted; ) {
      const row = this.q.changeAt.get(at);
      // A missing link ends the walk; the count below then sees the hole. So does a link to a row that
      // is not this page's previous change: once the log was pruned empty, SQLite hands its rowids out
      // again (max + 1), and a page's link to its pruned latest change then names another page's change,
      // or a newer one of its own. Followed, it added changes that are not this page's (or looped), and
      // the count sent a client a snapshot (`reset`) although every change it lacked was there.
      if (!row || row.seq <= sinceSeq || row.seq >= below || row.tenant !== tenant || row.page_key !== pageKey) break;
      const change = JSON.parse(row.change) as Change | LoggedRestore;
      const shown = change.type === 'restored-text-chat' ? this.restoredChange(tenant, change) : change;
      // A restored conversation whose row is gone (pruned since) cannot be rebuilt: the count below
      // then sees the hole, and the client gets a snapshot.
      if (!shown) break;
      logged.push(shown);
      below = row.seq;
      at = row.prev;
    }
    const created = this.q.createsAfter.all(tenant, pageKey, sinceSeq);
    if (logged.length + created.length !== wanted) return null;
    // Every seq, deleted conversations' creates included: clients apply a replay only without gaps.
    return mergeBySeq(created.map(toCreateChange), logged.reverse());
  }

  /** A logged restore as the `new-text-chat` a resync replays: the conversation and its thread as they are now (LoggedRestore). */
  private restoredChange(tenant: string, logged: LoggedRestore): Change | null {
    const row = this.q.conversation.get(logged.id);
    if (!row || row.tenant !== tenant) return null;
    const chat = this.load(row);
    if (chat.comments[0]?.id !== row.id) return null;
    return { type: 'new-text-chat', ...restoredEvent(chat, logged.broadcastId, logged.seq) };
  }

  /** Appends `change` where `step` said: its seq and rowid, linked to the page's previous change. */
  private appendChange(tenant: string, pageKey: string, now: number, step: PageStep, change: Change | LoggedRestore): void {
    this.q.insertChange.run(step.changeRowid, tenant, pageKey, step.seq, now, JSON.stringify(change), step.prev);
  }

  /** The conversation `id` of the caller's tenant, or the error a client must see. */
  private ownConversation(who: Identity, id: string): ConversationRow {
    const row = this.q.conversation.get(id);
    // Another tenant's conversation is reported as missing: its existence is not ours to reveal.
    if (!row || row.tenant !== who.tenant) throw new ProtocolError('not_found', 'no such conversation');
    if (row.deleted_at !== null) throw new ProtocolError('gone', 'the conversation was deleted');
    return row;
  }

  create(who: Identity, pageKey: string, req: CreateRequest, now: number): Mutation<NewTextChat> {
    const { chat } = req;
    const target = JSON.stringify(chat.target);
    return this.atomic(() => {
      // Insert first: the primary key says whether the id is new, so only a retry or a clash pays for a lookup.
      const broadcastId = req.broadcastId === chat.id ? null : req.broadcastId;
      const { tenant } = who;
      const inserted = this.q.insertConversation.get(chat.id, tenant, pageKey, target, who.user.id, who.user.name, now, broadcastId, tenant, pageKey, tenant, pageKey);
      if (!inserted) {
        const existing = this.q.conversation.get(chat.id)!;
        if (existing.tenant !== who.tenant) throw new ProtocolError('conflict', 'this id is taken');
        if (existing.deleted_at !== null) throw new ProtocolError('gone', 'the conversation was deleted');
        if (!this.isSameCreate(who, pageKey, target, req, existing)) throw new ProtocolError('conflict', 'a different conversation already has this id');
        return { seq: this.pageSeq(who.tenant, pageKey), chat: this.load(existing) };
      }
      const { seq } = inserted;
      // Checked once the row is in: the seq it took tells, with no lookup, that nearly every page
      // cannot be full. A refusal throws, which undoes the insert (atomic / runGroup); a retry of a
      // create already stored was answered above, so it is still answered as one on a full page.
      if (this.overCap(tenant, pageKey, seq)) throw new ProtocolError('page_full', `a page holds at most ${LIMITS.conversationsPerPage} conversations`);
      // The first comment takes the conversation's id: a create carries one id, and a retried
      // create must land on the same comment.
      this.q.insertFirstComment.run(inserted.key, chat.id, who.user.id, who.user.name, chat.text, now);
      // No conversation object: the acknowledgement carries only what the server added (CreateAck).
      const body = { broadcastId: req.broadcastId, seq, id: chat.id, chat: { target: chat.target, text: chat.text, author: who.user, createdAt: now } };
      return { seq, event: { ...body, pageKey } };
    });
  }

  /**
   * Whether the page holds more than the cap now that a create took `seq`. Every conversation took a
   * seq of its page when it was created, and a page's seq never goes back: a seq up to the cap means
   * the page cannot hold more. Past that, the live conversations are counted (~4 ms at 5,000, a read
   * of each row), and the count is remembered with the seq it was taken at: since then at most one
   * conversation per seq can have been added, so the page cannot be over the cap before
   * `live + (seq - countedAt)` is. A page with a long history but few live conversations (many
   * comments, edits, deletions) is then counted once per (cap - live) changes, not on every create.
   * A seq lower than the remembered one (a group rolled back) drops the entry, so the bound never
   * undercounts.
   */
  private overCap(tenant: string, pageKey: string, seq: number): boolean {
    const cap = LIMITS.conversationsPerPage;
    if (seq <= cap) return false;
    const key = `${tenant}\n${pageKey}`;
    const counted = this.liveCounts.get(key);
    if (counted && seq >= counted.seq && counted.live + (seq - counted.seq) <= cap) return false;
    const live = this.q.liveConversations.get(tenant, pageKey, cap + 1)!.n;
    this.liveCounts.set(key, { live, seq });
    return live > cap;
  }

  /**
   * Whether a create of an id already stored is that create again (a retry after a lost
   * acknowledgement): same author, page and target, and the opening text it was stored with. That
   * text may have been edited since (by the author in another browser, who alone may edit it) and
   * its first version is kept nowhere; then the create's own broadcastId, which names the operation
   * (a retry reuses it), stands in for the text. Anything else under that id is another
   * conversation: `conflict`.
   */
  private isSameCreate(who: Identity, pageKey: string, target: string, req: CreateRequest, existing: ConversationRow): boolean {
    if (existing.page_key !== pageKey || existing.target !== target || existing.author_id !== who.user.id) return false;
    const first = this.q.comment.get(existing.key, existing.id);
    if (first?.text === req.chat.text) return true;
    return first !== undefined && first.edited_at !== null && (existing.broadcast_id ?? existing.id) === req.broadcastId;
  }

  update(who: Identity, req: UpdateRequest, now: number) {
    const run = () => this.updateNow(who, req, now);
    return 'deleteComment' in req.changes ? this.deleting(run) : run();
  }

  private updateNow(who: Identity, req: UpdateRequest, now: number) {
    return this.atomic(() => {
      const row = this.ownConversation(who, req.id);
      if (req.baseRevision !== undefined && req.baseRevision !== row.revision) {
        throw Object.assign(new ProtocolError('conflict', `revision ${req.baseRevision} is stale; the conversation is at ${row.revision}`), {
          current: this.load(row),
        });
      }
      const applied = this.applyChange(who, row, req.changes, now);
      if (!applied) return { seq: this.pageSeq(who.tenant, row.page_key), chat: this.load(row) };
      const { delta } = applied;
      const revision = this.q.bumpRevision.get(row.key) as { revision: number };
      const step = this.nextStep(who.tenant, row.page_key, applied.replyBytes);
      const { seq } = step;
      const body = { broadcastId: req.broadcastId, seq, id: row.id, revision: revision.revision, by: who.user, ...delta };
      this.appendChange(who.tenant, row.page_key, now, step, { type: 'updated-text-chat', ...body });
      const chat = this.load({ ...row, revision: revision.revision, resolved: 'resolved' in delta ? Number(delta.resolved) : row.resolved });
      return { seq, chat, event: { ...body, pageKey: row.page_key } };
    });
  }

  /**
   * Applies one change to the rows; null when it changes nothing (a retry, or a no-op). Replies count
   * toward the page's budget; the opening comment (n = 0, the conversation's id) does not, edited or not.
   */
  private applyChange(who: Identity, row: ConversationRow, change: UpdateRequest['changes'], now: number): Applied | null {
    if ('addComment' in change) {
      const { id, text } = change.addComment;
      const existing = this.q.comment.get(row.key, id);
      if (existing) {
        if (existing.deleted_at !== null) throw new ProtocolError('gone', 'the comment was deleted');
        if (existing.author_id === who.user.id && existing.text === text) return null;
        throw new ProtocolError('conflict', 'a different comment already has this id');
      }
      if (this.q.commentCount.get(row.key)!.n >= LIMITS.comments) throw new ProtocolError('conversation_full', `a conversation holds at most ${LIMITS.comments} comments`);
      this.q.appendComment.run({ id, conversation: row.key, author_id: who.user.id, author_name: who.user.name, text, created_at: now });
      return { delta: { addComment: { id, author: who.user, text, createdAt: now } }, replyBytes: replyBytes(text) };
    }
    if ('editComment' in change || 'deleteComment' in change) {
      const id = 'editComment' in change ? change.editComment.id : change.deleteComment.id;
      const comment = this.q.comment.get(row.key, id);
      if (!comment) throw new ProtocolError('not_found', 'no such comment in this conversation');
      if (comment.deleted_at !== null) {
        if ('deleteComment' in change) return null;
        throw new ProtocolError('gone', 'the comment was deleted');
      }
      if ('deleteComment' in change) {
        if (!mayRemove(who, comment.author_id)) throw new ProtocolError('forbidden', 'only its author or a moderator may delete this comment');
        if (id === row.id) throw new ProtocolError('invalid', 'the first comment opens the conversation: delete the conversation instead');
        this.q.deleteComment.run(now, row.key, id);
        return { delta: { deleteComment: { id } }, replyBytes: -replyBytes(comment.text) };
      }
      if (!mayEditComment(who, comment.author_id)) throw new ProtocolError('forbidden', 'only its author may edit a comment, moderators included: a moderator may delete it instead');
      const { text } = change.editComment;
      if (text === comment.text) return null;
      this.q.editComment.run(text, now, row.key, id);
      const grows = id === row.id ? 0 : replyBytes(text) - replyBytes(comment.text);
      return { delta: { editComment: { id, text, editedAt: now } }, replyBytes: grows };
    }
    if (Boolean(row.resolved) === change.resolved) return null;
    this.q.setResolved.run(change.resolved ? 1 : 0, row.key);
    return { delta: { resolved: change.resolved }, replyBytes: 0 };
  }

  delete(who: Identity, req: DeleteRequest, now: number) {
    return this.deleting(() => this.deleteNow(who, req, now));
  }

  /** Runs a deletion with the size limit's reserve (size-limit.ts). */
  private deleting<T>(fn: () => T): T {
    return this.size ? this.size.deleting(fn) : fn();
  }

  private deleteNow(who: Identity, req: DeleteRequest, now: number): Mutation<DeletedTextChat> {
    return this.atomic(() => {
      const row = this.q.conversation.get(req.id);
      if (!row || row.tenant !== who.tenant) throw new ProtocolError('not_found', 'no such conversation');
      if (row.deleted_at !== null) return { seq: row.deleted_seq ?? this.pageSeq(who.tenant, row.page_key) };
      if (!mayRemove(who, row.author_id)) throw new ProtocolError('forbidden', 'only its author or a moderator may delete this conversation');
      // The thread is kept for an undo, unless the store is at its size limit: then the deletion is
      // what makes room (its users' only way, docs/protocol.md `store_full`), so the replies go now and
      // the deletion cannot be undone (`gone`). One pragma read, only where a limit is set.
      const undoable = !this.size?.reached();
      const step = this.nextStep(who.tenant, row.page_key, -(undoable ? this.liveReplyBytes(row.key) : this.droppedReplyBytes(row.key)));
      const { seq } = step;
      this.q.deleteConversation.run(now, seq, undoable ? now + this.restoreWindowMs : null, row.key);
      const body = { broadcastId: req.broadcastId, seq, id: row.id };
      this.appendChange(who.tenant, row.page_key, now, step, { type: 'deleted-text-chat', ...body });
      return { seq, event: { ...body, pageKey: row.page_key } };
    });
  }

  /** Erases a conversation's replies; answers what the live ones counted toward its page's replies' bytes. */
  private droppedReplyBytes(key: number): number {
    let bytes = 0;
    for (const reply of this.q.dropReplies.all(key)) if (reply.live) bytes += replyBytes(reply.text);
    return bytes;
  }

  /** What the live replies of a conversation count toward its page's replies' bytes. */
  private liveReplyBytes(key: number): number {
    let bytes = 0;
    for (const reply of this.q.liveReplies.all(key)) bytes += replyBytes(reply.text);
    return bytes;
  }

  /**
   * Undoes a deletion: the tombstone becomes the live conversation again, with its thread as it was
   * (a deletion keeps it), at a new seq of its page. Allowed to whoever may delete it (mayRemove),
   * within the restore window; it counts against the page as a create does (page_full) and takes its
   * replies' bytes back (page_replies_full), and, not being a deletion, it has no share of the size
   * limit's reserve (store_full). Restoring a live conversation changes nothing, as deleting a
   * deleted one does. A create's path is untouched: it never reads what a restore writes.
   */
  restore(who: Identity, req: RestoreRequest, now: number): Mutation<NewTextChat> & { chat: Conversation } {
    return this.atomic(() => {
      const row = this.q.conversation.get(req.id);
      if (!row || row.tenant !== who.tenant) throw new ProtocolError('not_found', 'no such conversation');
      if (row.deleted_at === null) return { seq: this.pageSeq(who.tenant, row.page_key), chat: this.load(row) };
      if (!mayRemove(who, row.author_id)) throw new ProtocolError('forbidden', 'only its author or a moderator may restore this conversation');
      // Both the window set at the deletion and the one set now: pruning erases the replies of
      // conversations deleted longer ago than the current window, which an operator may have shortened.
      if (row.restorable_until === null || now >= row.restorable_until || now - row.deleted_at >= this.restoreWindowMs) {
        throw new ProtocolError('gone', 'the conversation was deleted too long ago, or to make room in a full store, and can no longer be restored');
      }
      const step = this.nextStep(who.tenant, row.page_key, this.liveReplyBytes(row.key));
      const { seq } = step;
      this.q.restoreConversation.run(row.key);
      if (this.overCap(who.tenant, row.page_key, seq)) throw new ProtocolError('page_full', `a page holds at most ${LIMITS.conversationsPerPage} conversations`);
      this.appendChange(who.tenant, row.page_key, now, step, { type: 'restored-text-chat', broadcastId: req.broadcastId, seq, id: row.id });
      const chat = this.load(row);
      return { seq, chat, event: { ...restoredEvent(chat, req.broadcastId, seq), pageKey: row.page_key } };
    });
  }

  /**
   * One transaction for a group of operations (group-commit.ts). First optimistically, each
   * operation bare: every operation of this store checks before it writes, so a group in which
   * nothing is refused (nearly every group) needs no savepoint per operation (~7 µs of a create,
   * docs/benchmarks.md). If anything throws, that whole attempt is rolled back and the group runs
   * again, each operation in its own savepoint: a refused or failed operation is undone alone, even
   * one that had written before it threw, and the others stand. Operations are deterministic given
   * the database (their clock was read before they were queued), so the second pass decides the same.
   *
   * A storage error can take the whole transaction with it, not just the operation that met it:
   * SQLite undoes only the failing statement for SQLITE_FULL when that statement keeps a statement
   * journal (one that may change several rows), and rolls back everything otherwise, as it does for
   * most I/O errors; and a COMMIT that fails (a full disk, an I/O error writing the WAL) stores
   * nothing. Refusing the whole group for it refused a deletion or a resolve that fitted, because a
   * create in the same turn did not. So when the savepoint pass is lost as a whole, the group runs a
   * third time, each operation in its own transaction: every one is stored or refused on its own
   * account, with nothing half-written, in arrival order. Only that failure pays the commits.
   * Storage errors come out as StorageFault (`store_full` at the GLOSS_DB_MAX_MB limit, else
   * `store_failed`).
   */
  runGroup(ops: (() => unknown)[]): Outcome[] {
    let outcomes: Outcome[];
    try {
      outcomes = this.transaction(() => {
        this.bare = true;
        try {
          return ops.map((op): Outcome => ({ ok: true, value: op() }));
        } finally {
          this.bare = false;
        }
      });
    } catch (first) {
      // A retry that succeeds does not undo what an I/O error may have left: the next start checks.
      this.suspect(storageCode(first));
      try {
        outcomes = this.runEachInSavepoint(ops);
      } catch (err) {
        this.suspect(storageCode(err));
        // The writer's lock was not had within busy_timeout (another process holds it): each
        // operation alone would wait as long again, with the event loop stopped. The group is refused.
        if (storageCode(err)?.startsWith('SQLITE_BUSY')) throw this.fault(err);
        outcomes = ops.map((op) => this.outcome(() => this.transaction(op)));
      }
    }
    return outcomes.map((o) => (o.ok ? o : { ok: false, error: this.fault(o.error) }));
  }

  private runEachInSavepoint(ops: (() => unknown)[]): Outcome[] {
    return this.transaction(() =>
      ops.map((op) =>
        // Nested, better-sqlite3 makes this a SAVEPOINT around the whole operation.
        this.outcome(() => this.transaction(op), (error) => {
          // The whole transaction is gone (runGroup): none of the group stands.
          if (!this.db.inTransaction) throw error;
        }),
      ),
    );
  }

  private outcome(run: () => unknown, onError?: (error: unknown) => void): Outcome {
    try {
      return { ok: true, value: run() };
    } catch (error) {
      onError?.(error);
      return { ok: false, error };
    }
  }

  /** A SQLite storage error as the refusal a client gets; any other error as it is. */
  private fault(error: unknown): unknown {
    const code = storageCode(error);
    if (code === null) return error;
    this.suspect(code);
    return new StorageFault(code === 'SQLITE_FULL' && this.size?.reached() ? 'store_full' : 'store_failed', code);
  }

  addUsage(rows: Iterable<[string, number, number]>): void {
    this.atomic(() => {
      for (const [tenant, messages, bytes] of rows) this.q.addUsage.run(tenant, messages, bytes);
    });
  }

  usage(tenant?: string) {
    const rows = tenant === undefined ? this.q.usageAll.all() : [this.q.usageOne.get(tenant) ?? { tenant, message_count: 0, bandwidth: 0 }];
    return rows.map((r) => ({ tenant: r.tenant, pubSubMessageCount: r.message_count, pubSubBandwidth: r.bandwidth }));
  }

  /**
   * Drops what is older than the retention: the change log, tombstones, and deleted comments.
   *
   * A deleted comment's row is needed by nothing a client can still ask for once its deletion is
   * older than `before`. A resync replays a reply's addComment, edits and deleteComment from the log,
   * whose entries carry their text, never from the row (only creates come from rows, and the opening
   * comment is never deleted alone); a snapshot leaves deleted comments out; and the deletion's own
   * change is pruned here too (its `at` is the row's deleted_at), so a client behind it gets a snapshot.
   *
   * What the row still did: it made a retried addComment of that id `gone`, and a late edit `gone`
   * and a late deleteComment `ok`. Once pruned, those get `not_found`, which a client drops as
   * refused, but a retried addComment is taken as new: the comment comes back. That retry is an op
   * still in a client's outbox (its acknowledgement lost) from before the deletion, which only a
   * browser offline for the whole retention (30 days at least) can still hold. Decided: rely on the
   * retention being longer than any retry window, as for conversations, whose create retried after
   * its tombstone expired is likewise taken as new. Keeping the ids instead would keep a row per
   * deleted comment forever, which is what a client adding and deleting in a loop must not grow.
   */
  prune(before: number, now?: number): number {
    // With the deletions' reserve: pruning frees what new writes then reuse.
    return this.deleting(() => this.atomic(() => {
      const limit = this.q.pruneLimit.get(before)?.r ?? Number.MAX_SAFE_INTEGER;
      for (const p of this.q.prunedPages.all(limit)) this.q.raiseMinSeq.run(p.m, p.tenant, p.page_key);
      const { q } = this;
      const restorable = q.pruneRestorable.run(Math.max(before, (now ?? Date.now()) - this.restoreWindowMs)).changes;
      return q.pruneChanges.run(limit).changes + q.pruneTombstones.run(before).changes + q.pruneDeletedComments.run(before).changes + restorable;
    }));
  }

  /**
   * Copies the whole WAL into the database and empties it. The checkpointer's last round may still
   * hold SQLite's checkpoint lock (its worker stops asynchronously), and a checkpoint that finds it
   * taken answers busy at once, without the busy timeout: seen as a 64 MB WAL left by a clean close
   * under load. So it is tried again, 10 ms apart, for at most 2 s; a WAL left with frames only costs
   * a check at the next start.
   */
  private emptyWal(): void {
    for (let i = 0; i < 200; i++) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result?.busy === 0) return;
      Atomics.wait(PAUSE, 0, 0, 10);
    }
  }

  /**
   * Closes the database, and for the server records the clean close (start-check.ts) after copying
   * the whole WAL in and emptying it: the checkpointer's connection may still be open, and then
   * SQLite's own copy at close, which only the last connection makes, would not happen here.
   */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.checkpointer?.stop();
    try {
      if (this.recording) this.emptyWal();
    } catch (err) {
      this.suspect(storageCode(err));
    }
    this.db.close();
    if (this.recording && this.whole) recordShutdown(this.file);
  }
}

/** A restored conversation as its `new-text-chat` (without its page): the create's body and what it came back with. */
function restoredEvent(chat: Conversation, broadcastId: string, seq: number): Omit<NewTextChat, 'pageKey'> {
  const { id, target, author, createdAt, revision, resolved, comments } = chat;
  return { broadcastId, seq, id, chat: { target, text: comments[0]!.text, author, createdAt, restored: { revision, resolved, comments } } };
}

/** What close() waits on between two tries of its checkpoint (Atomics.wait: a synchronous sleep). */
const PAUSE = new Int32Array(new SharedArrayBuffer(4));

/** Two lists, each in seq order, as one. */
function mergeBySeq(a: Change[], b: Change[]): Change[] {
  const out: Change[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) out.push(j >= b.length || (i < a.length && a[i]!.seq < b[j]!.seq) ? a[i++]! : b[j++]!);
  return out;
}
