import * as v from 'valibot';
import { Seq } from '../../protocol/events.js';
import { Conversation, Uuid } from '../../protocol/model.js';
import type { PageState } from './reducer.js';
import { MAX_TOMBSTONES } from './reducer.js';

/**
 * How a page's confirmed state is stored in IndexedDB and read back. What is read back is checked
 * like any other input (an older version, a bug or a hand-edited profile may have written it):
 * invalid conversations are dropped, and then the stored seq is no longer trusted, so the page
 * is fetched afresh instead of resuming from a seq that the kept data does not match.
 */
export interface CachedPage {
  pageKey: string;
  seq: number;
  conversations: Conversation[];
  deleted: string[];
  savedAt: number;
}

const Row = v.object({
  pageKey: v.pipe(v.string(), v.minLength(1)),
  seq: v.unknown(),
  conversations: v.unknown(),
  deleted: v.unknown(),
});
const Tombstones = v.pipe(v.array(Uuid), v.maxLength(MAX_TOMBSTONES));

export function encodePage(state: PageState, now: number): CachedPage | null {
  if (state.seq === null) return null;
  return { pageKey: state.pageKey, seq: state.seq, conversations: Object.values(state.conversations), deleted: [...state.deleted], savedAt: now };
}

/** A stored row as a PageState, or null when the row is unusable (it is then dropped). */
export function decodePage(raw: unknown): PageState | null {
  const row = v.safeParse(Row, raw);
  if (!row.success) return null;
  const { pageKey } = row.output;
  let trusted = v.is(Seq, row.output.seq);
  const conversations: Record<string, Conversation> = {};
  const list = Array.isArray(row.output.conversations) ? (row.output.conversations as unknown[]) : null;
  if (list === null) trusted = false;
  for (const item of list ?? []) {
    const chat = v.safeParse(Conversation, item);
    if (chat.success) conversations[chat.output.id] = chat.output;
    else trusted = false;
  }
  const deleted = v.is(Tombstones, row.output.deleted) ? row.output.deleted : [];
  return { pageKey, seq: trusted ? (row.output.seq as number) : null, conversations, deleted };
}
