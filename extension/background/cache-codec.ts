import * as v from 'valibot';
import { Seq } from '../../protocol/events.js';
import { Conversation, Uuid } from '../../protocol/model.js';
import type { PageState } from './reducer.js';
import { MAX_TOMBSTONES } from './reducer.js';
import type { PageDelta } from './unsaved.js';

/**
 * How a page's confirmed state is stored in IndexedDB (db.ts: a row per page in `pages`, a row per
 * conversation in `conversations`) and read back. What is read back is checked like any other input
 * (an older version, a bug or a hand-edited profile may have written it): invalid conversation rows
 * are dropped, and then the stored seq is no longer trusted, so the page is fetched afresh instead of
 * resuming from a seq that the kept data does not match.
 */
export interface PageRow {
  pageKey: string;
  seq: number;
  deleted: string[];
  savedAt: number;
}

export interface ConversationRow {
  pageKey: string;
  id: string;
  conversation: Conversation;
}

/** One write: a transaction over both stores (cache.ts). */
export interface PageWrite {
  page: PageRow;
  /** Clear the page's conversation rows first. */
  whole: boolean;
  put: ConversationRow[];
  remove: string[];
}

const PageKey = v.pipe(v.string(), v.minLength(1));
const Head = v.object({ pageKey: PageKey, seq: v.unknown(), deleted: v.unknown() });
const Row = v.object({ pageKey: PageKey, id: Uuid, conversation: Conversation });
const Tombstones = v.pipe(v.array(Uuid), v.maxLength(MAX_TOMBSTONES));

export function encodeWrite(delta: PageDelta, now: number): PageWrite {
  const { pageKey } = delta;
  return {
    page: { pageKey, seq: delta.seq, deleted: [...delta.deleted], savedAt: now },
    whole: delta.whole,
    put: delta.put.map((conversation) => ({ pageKey, id: conversation.id, conversation })),
    remove: [...delta.remove],
  };
}

/**
 * The page `pageKey` as stored: its page row and its conversation rows. Null when the page row is
 * missing or unusable (the page then starts from nothing, and its first write replaces its rows).
 * A conversation row that is invalid, or is not this page's, is dropped and the seq not trusted: the
 * state then has no seq, and gets one back only whole (a snapshot, a sync from nothing), whose write
 * clears the page's rows, the dropped ones with them (unsaved.ts). Bad tombstones are ignored (the seq
 * already stops what they guard against), and the next write stores the page row again.
 */
export function decodeStored(pageKey: string, head: unknown, rows: readonly unknown[]): PageState | null {
  const page = v.safeParse(Head, head);
  if (!page.success || page.output.pageKey !== pageKey) return null;
  let trusted = v.is(Seq, page.output.seq);
  const conversations: Record<string, Conversation> = {};
  for (const raw of rows) {
    const row = v.safeParse(Row, raw);
    if (row.success && row.output.pageKey === pageKey && row.output.conversation.id === row.output.id) conversations[row.output.id] = row.output.conversation;
    else trusted = false;
  }
  const deleted = v.is(Tombstones, page.output.deleted) ? page.output.deleted : [];
  return { pageKey, seq: trusted ? (page.output.seq as number) : null, conversations, deleted };
}
