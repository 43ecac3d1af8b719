import type { BackgroundToContent } from '../../protocol/runtime.js';
import type { ViewDiff } from './pending.js';

/**
 * Characters of JSON (the conversations' fingerprints, pending.ts diffView) one `changes` message
 * holds at most, a conversation bigger than that going alone. Chrome refuses a runtime message over
 * 64 MiB, and a page at its caps is ~5 MB of conversations plus 8 MiB of replies (protocol/limits.ts),
 * so one message would pass; but the tab reads a message in one task (the browser's deserialization,
 * then its schema check), and a whole page in one go would be the longest task of its load. 1 Mi
 * characters keeps each such task short while a typical full page (5,000 conversations of ~1 KB) is
 * still only 5 messages (docs/benchmarks.md, change 33).
 */
export const PUSH_CHUNK_CHARS = 1024 * 1024;

/** Conversations and removed ids one `changes` message holds at most (the schema's bound is the page cap). */
export const PUSH_CHUNK_ITEMS = 1_000;

/**
 * What tells the page's tabs a change of its view. One change goes alone, as an `upsert` or a
 * `remove`, as live changes always did. More (a join or resync bringing the page's conversations, a
 * server batch, a switch of account) go as `changes` messages, in bounded chunks, upserts first then
 * removes, in the diff's order: before, a join sent one message per conversation, and the tab
 * handled each as its own task (5,000 of them for a full page).
 */
export function pushMessages(diff: Pick<ViewDiff, 'upserts' | 'upsertChars' | 'removes'>, maxChars = PUSH_CHUNK_CHARS, maxItems = PUSH_CHUNK_ITEMS): BackgroundToContent[] {
  const { upserts, upsertChars, removes } = diff;
  if (upserts.length + removes.length === 0) return [];
  if (upserts.length === 1 && removes.length === 0) return [{ type: 'upsert', conversation: upserts[0]! }];
  if (upserts.length === 0 && removes.length === 1) return [{ type: 'remove', id: removes[0]! }];
  const out: BackgroundToContent[] = [];
  let chunk: Extract<BackgroundToContent, { type: 'changes' }> = { type: 'changes', upserts: [], removes: [] };
  let chars = 0;
  const add = (size: number): void => {
    const items = chunk.upserts.length + chunk.removes.length;
    if (items > 0 && (items >= maxItems || chars + size > maxChars)) {
      out.push(chunk);
      chunk = { type: 'changes', upserts: [], removes: [] };
      chars = 0;
    }
    chars += size;
  };
  upserts.forEach((conversation, i) => {
    add(upsertChars[i] ?? JSON.stringify(conversation).length);
    chunk.upserts.push(conversation);
  });
  for (const id of removes) {
    add(id.length + 3);
    chunk.removes.push(id);
  }
  out.push(chunk);
  return out;
}
