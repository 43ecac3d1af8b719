import * as v from 'valibot';
import { CreateRequest, DeleteRequest, RestoreRequest, UpdateRequest } from '../../protocol/events.js';
import { LIMITS } from '../../protocol/limits.js';
import { Conversation, Millis, User, Uuid } from '../../protocol/model.js';
import { isWireUrl } from './messages.js';
import type { PendingOp } from './pending.js';

/**
 * How an outbox row is stored in IndexedDB (store `outbox`, key `broadcastId`) and read back. A
 * row is checked like any other input (an older version or a hand-edited profile may have written
 * it): the request must be one the server would take, the page key must be the one its URL
 * normalises to, so a bad row can neither be sent nor land on another page, and the URL must be the
 * one the worker sends for that key (messages.ts wireUrl), so a row cannot make the worker send what
 * the key leaves out (credentials, an anchor, tracking parameters). Invalid rows are dropped.
 */
export interface OutboxRow {
  broadcastId: string;
  /** Position in the outbox: ops are sent in this order (per page). */
  order: number;
  op: PendingOp;
}

const Order = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const where = { pageKey: v.pipe(v.string(), v.minLength(1)), url: v.pipe(v.string(), v.minLength(1)) };

const PendingOpSchema = v.variant('kind', [
  v.strictObject({ kind: v.literal('create'), ...where, request: CreateRequest, author: User, at: Millis }),
  v.strictObject({ kind: v.literal('update'), ...where, request: UpdateRequest, author: User, at: Millis, seen: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1))), before: v.optional(v.pipe(v.string(), v.maxLength(LIMITS.text))) }),
  v.strictObject({ kind: v.literal('delete'), ...where, request: DeleteRequest }),
  v.strictObject({ kind: v.literal('restore'), ...where, request: RestoreRequest, chat: v.optional(Conversation) }),
]);

const RowSchema = v.strictObject({ broadcastId: Uuid, order: Order, op: PendingOpSchema });

export function encodeOutboxRow(op: PendingOp, order: number): OutboxRow {
  return { broadcastId: op.request.broadcastId, order, op };
}

/** A stored row, or null when it is unusable. */
export function decodeOutboxRow(raw: unknown): OutboxRow | null {
  const row = v.safeParse(RowSchema, raw);
  if (!row.success) return null;
  const { op, broadcastId } = row.output;
  if (op.request.broadcastId !== broadcastId) return null;
  if (!isWireUrl(op.url, op.pageKey)) return null;
  if (op.kind === 'create' && op.request.chat.url !== op.url) return null;
  return row.output as OutboxRow;
}

/** Valid rows in outbox order, each page's ops in the order they were made; plus how many were dropped. */
export function readBack(raws: readonly unknown[]): { rows: OutboxRow[]; dropped: unknown[] } {
  const rows: OutboxRow[] = [];
  const dropped: unknown[] = [];
  for (const raw of raws) {
    const row = decodeOutboxRow(raw);
    if (row) rows.push(row);
    else dropped.push(raw);
  }
  rows.sort((a, b) => a.order - b.order);
  return { rows, dropped };
}

/** The outbox's rows by page, each list in order. */
export function byPage(rows: readonly OutboxRow[]): Map<string, OutboxRow[]> {
  const pages = new Map<string, OutboxRow[]>();
  for (const row of [...rows].sort((a, b) => a.order - b.order)) {
    const list = pages.get(row.op.pageKey);
    if (list) list.push(row);
    else pages.set(row.op.pageKey, [row]);
  }
  return pages;
}

/** The key of a stored row that failed its check, if it has one usable as a key (to delete it). */
export function keyOf(raw: unknown): string | null {
  if (typeof raw !== 'object' || raw === null || !('broadcastId' in raw)) return null;
  const key = (raw as { broadcastId: unknown }).broadcastId;
  return typeof key === 'string' ? key : null;
}
