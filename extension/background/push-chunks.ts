import type { BackgroundToContent } from '../../protocol/runtime.js';
import type { ViewDiff } from './pending.js';

/**
 * Characters of JSON (the conversations' fingerprints, pending.ts diffView) one `changes` message
 * holds at most, a conversation bigger than that going alone; and conversations and removed ids it
 * holds at most. Chrome refuses a runtime message over 64 MiB, and a page at its caps is ~5 MB of
 * conversations plus 8 MiB of replies (protocol/limits.ts), so one message would pass; but the tab
 * reads a message in one task (the browser's deserialization, then its schema check and the model's
 * update), and a whole page at once would be the longest task of its load. Measured in Chromium
 * (docs/benchmarks.md, change 33): a message of 1,000 typical conversations (~0.75 M characters)
 * was one task of 65–80 ms in the tab, most of it the schema check of a cold page; 250 keep it
 * near 15 ms, and a full page of 5,000 is 20 messages instead of 5,000.
 */
export const PUSH_CHUNK_CHARS = 256 * 1024;

export const PUSH_CHUNK_ITEMS = 250;

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
