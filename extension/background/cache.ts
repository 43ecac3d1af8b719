import { decodeStored, encodeWrite } from './cache-codec.js';
import type { PageState } from './reducer.js';
import { CONVERSATIONS, PAGES, openGlossDb as open, pageRange } from './db.js';
import type { PageDelta } from './unsaved.js';

/**
 * The confirmed state of each page in IndexedDB (database `gloss`, db.ts), so a tab gets its page's
 * conversations at once, and a restarted worker resumes from the stored seq. Kept thin: the checks
 * live in cache-codec.ts and what a write holds in unsaved.ts, both unit-tested.
 */
export async function readPage(pageKey: string): Promise<PageState | null> {
  try {
    const database = await open();
    const tx = database.transaction([PAGES, CONVERSATIONS]);
    const [head, rows] = await Promise.all([tx.objectStore(PAGES).get(pageKey), tx.objectStore(CONVERSATIONS).getAll(pageRange(pageKey)), tx.done]);
    if (head === undefined && rows.length === 0) return null;
    const stored = decodeStored(pageKey, head, rows);
    if (stored === null) {
      console.warn('[gloss] dropped an unreadable cached page');
      const drop = database.transaction([PAGES, CONVERSATIONS], 'readwrite');
      await Promise.all([drop.objectStore(PAGES).delete(pageKey), drop.objectStore(CONVERSATIONS).delete(pageRange(pageKey)), drop.done]);
    }
    return stored;
  } catch (error) {
    console.warn('[gloss] could not read the page cache:', error instanceof Error ? error.message : String(error));
    return null;
  }
}

/**
 * Stores a page's delta in one transaction over both stores: its changed buckets (or all of them,
 * its rows cleared first, when whole) and its seq are stored together or not at all, so the stored
 * seq never runs ahead of the stored conversations. False when it was not stored (the caller keeps
 * the delta for the next write).
 */
export async function writePage(delta: PageDelta): Promise<boolean> {
  const { page, whole, put, remove } = encodeWrite(delta, Date.now());
  try {
    const tx = (await open()).transaction([PAGES, CONVERSATIONS], 'readwrite');
    const buckets = tx.objectStore(CONVERSATIONS);
    // Requests run in the order made: the clear before the puts.
    const requests: Promise<unknown>[] = [tx.done];
    try {
      if (whole) requests.push(buckets.delete(pageRange(page.pageKey)));
      for (const row of put) requests.push(buckets.put(row));
      for (const id of remove) requests.push(buckets.delete([page.pageKey, id]));
      requests.push(tx.objectStore(PAGES).put(page));
    } catch (error) {
      // A request refused at once (a value that cannot be cloned): the ones made before it must not
      // commit without the rest and the page row.
      tx.abort();
      void Promise.allSettled(requests);
      throw error;
    }
    await Promise.all(requests);
    return true;
  } catch (error) {
    console.warn('[gloss] could not write the page cache:', error instanceof Error ? error.message : String(error));
    return false;
  }
}

/** Empties the page cache, both stores in one transaction. */
export async function clearPages(): Promise<void> {
  const tx = (await open()).transaction([PAGES, CONVERSATIONS], 'readwrite');
  await Promise.all([tx.objectStore(PAGES).clear(), tx.objectStore(CONVERSATIONS).clear(), tx.done]);
}
