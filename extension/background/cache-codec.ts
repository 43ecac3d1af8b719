import * as v from 'valibot';
import { Seq } from '../../protocol/events.js';
import { Conversation, Uuid } from '../../protocol/model.js';
import { BUCKETS, bucketOf } from './cache-buckets.js';
import type { PageState } from './reducer.js';
import { MAX_TOMBSTONES } from './reducer.js';
import type { PageDelta } from './unsaved.js';

/**
 * How a page's confirmed state is stored in IndexedDB (db.ts: a row per page in `pages`, a row per
 * non-empty bucket of its conversations in `conversations`) and read back. What is read back is
 * checked like any other input (an older version, a bug or a hand-edited profile may have written
 * it): a conversation that is invalid, in the wrong bucket or already read, and a row that is not a
 * bucket of the page, are dropped, and then the stored seq is no longer trusted, so the page is
 * fetched afresh instead of resuming from a seq that the kept data does not match.
 */
export interface PageRow {
  pageKey: string;
  seq: number;
  deleted: string[];
  savedAt: number;
}

/** A bucket's row; `id` (the store's key path, db.ts) is the bucket's number. */
export interface BucketRow {
  pageKey: string;
  id: number;
  conversations: readonly Conversation[];
}

/** One write: a transaction over both stores (cache.ts). */
export interface PageWrite {
  page: PageRow;
  /** Clear the page's bucket rows first. */
  whole: boolean;
  put: BucketRow[];
  /** Buckets emptied: their rows go. */
  remove: number[];
}

const PageKey = v.pipe(v.string(), v.minLength(1));
const Head = v.object({ pageKey: PageKey, seq: v.unknown(), deleted: v.unknown() });
const Bucket = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(BUCKETS - 1));
const Row = v.object({ pageKey: PageKey, id: Bucket, conversations: v.array(v.unknown()) });
const Tombstones = v.pipe(v.array(Uuid), v.maxLength(MAX_TOMBSTONES));

export function encodeWrite(delta: PageDelta, now: number): PageWrite {
  const { pageKey } = delta;
  const put: BucketRow[] = [];
  const remove: number[] = [];
  for (const [id, conversations] of delta.buckets) {
    if (conversations.length > 0) put.push({ pageKey, id, conversations });
    else if (!delta.whole) remove.push(id);
  }
  return { page: { pageKey, seq: delta.seq, deleted: [...delta.deleted], savedAt: now }, whole: delta.whole, put, remove };
}

/**
 * The page `pageKey` as stored: its page row and its bucket rows. Null when the page row is missing
 * or unusable (the page then starts from nothing, and its first write replaces its rows). Whatever is
 * dropped (above) leaves the state without a seq, and it gets one back only whole (a snapshot, a sync
 * from nothing), whose write clears the page's rows, the dropped ones with them (unsaved.ts). Rows of
 * the interim version 3 layout (a row per conversation, db.ts) are not buckets and are dropped so.
 * Bad tombstones are ignored (the seq already stops what they guard against), and the next write
 * stores the page row again.
 */
export function decodeStored(pageKey: string, head: unknown, rows: readonly unknown[]): PageState | null {
  const page = v.safeParse(Head, head);
  if (!page.success || page.output.pageKey !== pageKey) return null;
  let trusted = v.is(Seq, page.output.seq);
  const conversations: Record<string, Conversation> = {};
  const seen = new Set<number>();
  for (const raw of rows) {
    const row = v.safeParse(Row, raw);
    if (!row.success || row.output.pageKey !== pageKey || seen.has(row.output.id)) {
      trusted = false;
      continue;
    }
    seen.add(row.output.id);
    for (const item of row.output.conversations) {
      const chat = v.safeParse(Conversation, item);
      if (chat.success && bucketOf(chat.output.id) === row.output.id && !Object.hasOwn(conversations, chat.output.id)) conversations[chat.output.id] = chat.output;
      else trusted = false;
    }
  }
  const deleted = v.is(Tombstones, page.output.deleted) ? page.output.deleted : [];
  return { pageKey, seq: trusted ? (page.output.seq as number) : null, conversations, deleted };
}
