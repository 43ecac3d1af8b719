import type { Identity } from '../auth/identity.js';
import type { Conversation } from '../../protocol/model.js';
import type { ChatChange, CreateRequest, DeleteRequest, RestoreRequest, NewTextChat, SyncState, UpdatedTextChat, DeletedTextChat } from '../../protocol/events.js';

/** The result of one operation of a group: its value, or what it threw (its savepoint was rolled back). */
export type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** What a mutation did: the change to broadcast, or nothing new (an idempotent retry). */
export interface Mutation<E> {
  seq: number;
  /** Absent when the request repeated one already applied: acknowledge, broadcast nothing. */
  event?: E;
  chat?: Conversation;
}

type WithoutPresence<T> = T extends unknown ? Omit<T, 'viewers' | 'users'> : never;
export type PageSync = WithoutPresence<SyncState>;
export type PageSnapshot = Extract<PageSync, { conversations: Conversation[] }>;

/**
 * The persistence seam. Every mutation validates authorship and revisions, allocates the page's next
 * seq and appends to the change log in ONE transaction, so a seq is never skipped nor reused and a
 * refused operation leaves no trace. The SQLite store is synchronous; a networked store (PostgreSQL)
 * would return promises, and callers already `await` every call.
 */
export interface Store {
  tenantExists(tenant: string): boolean;
  ensureTenant(tenant: string): void;
  snapshot(tenant: string, pageKey: string): PageSnapshot;
  changesSince(tenant: string, pageKey: string, sinceSeq: number): PageSync;
  create(who: Identity, pageKey: string, req: CreateRequest, now: number): Mutation<NewTextChat>;
  update(who: Identity, req: { broadcastId: string; id: string; baseRevision?: number; changes: ChatChange }, now: number): Mutation<UpdatedTextChat> & { chat: Conversation };
  delete(who: Identity, req: DeleteRequest, now: number): Mutation<DeletedTextChat>;
  /** Undoes a deletion within the restore window (sqlite-store.ts says what it checks). */
  restore(who: Identity, req: RestoreRequest, now: number): Mutation<NewTextChat> & { chat: Conversation };
  addUsage(rows: Iterable<[tenant: string, messages: number, bytes: number]>): void;
  usage(tenant?: string): { tenant: string; pubSubMessageCount: number; pubSubBandwidth: number }[];
  /**
   * Runs `ops` in order in ONE transaction, each in its own savepoint: a throwing operation is rolled
   * back alone and reported in its outcome; the rest commit together. When a storage error costs the
   * transaction as a whole, each operation is run again on its own, so one operation's full disk
   * does not refuse the others; storage errors come out as StorageFault (`store_full`, `store_failed`).
   */
  runGroup(ops: (() => unknown)[]): Outcome[];
  /**
   * Drops change-log entries, tombstones and deleted comments older than `before`, and the replies of
   * conversations deleted longer than the restore window before `now` (default: the clock); answers how many rows went.
   */
  prune(before: number, now?: number): number;
  close(): void;
}
