import { decodeStored, encodeWrite } from '../../extension/background/cache-codec.js';
import type { PageState } from '../../extension/background/reducer.js';
import type { PageDelta } from '../../extension/background/unsaved.js';

/**
 * One page's rows as IndexedDB's two stores hold them (extension/background/db.ts): its page row and
 * its bucket rows by the second part of their key (a bucket's number; a string for a row of another
 * layout a test puts there), written as cache.ts writes them (a delta at once: the clear of a whole
 * write first, then its puts and removals, then the page row) and read back through the same codec.
 * Values are cloned in and out, as IndexedDB does.
 */
export class PageRows {
  head: unknown = undefined;
  readonly rows = new Map<number | string, unknown>();

  write(delta: PageDelta, now = 0): void {
    const { page, whole, put, remove } = structuredClone(encodeWrite(delta, now));
    if (whole) this.rows.clear();
    for (const row of put) this.rows.set(row.id, row);
    for (const id of remove) this.rows.delete(id);
    this.head = page;
  }

  read(pageKey: string): PageState | null {
    if (this.head === undefined && this.rows.size === 0) return null;
    return decodeStored(pageKey, structuredClone(this.head), structuredClone([...this.rows.values()]));
  }

  /** The ids of the conversations in the bucket rows, sorted. */
  ids(): string[] {
    return [...this.rows.values()].flatMap((row) => ((row as { conversations?: { id: string }[] }).conversations ?? []).map((c) => c.id)).sort();
  }
}
