import type { PageState } from './reducer.js';
import { decodePage, encodePage } from './cache-codec.js';
import { PAGES, openGlossDb as open } from './db.js';

/**
 * The confirmed state of each page in IndexedDB (database `gloss`), so a tab gets its page's
 * conversations at once, and a restarted worker resumes from the stored seq. Kept thin: the
 * checks live in cache-codec.ts, which is unit-tested.
 */
export async function readPage(pageKey: string): Promise<PageState | null> {
  try {
    const database = await open();
    const raw: unknown = await database.get(PAGES, pageKey);
    if (raw === undefined) return null;
    const state = decodePage(raw);
    if (state === null || state.pageKey !== pageKey) {
      console.warn('[gloss] dropped an unreadable cached page');
      await database.delete(PAGES, pageKey);
      return null;
    }
    return state;
  } catch (error) {
    console.warn('[gloss] could not read the page cache:', error instanceof Error ? error.message : String(error));
    return null;
  }
}

export async function writePage(state: PageState): Promise<void> {
  const row = encodePage(state, Date.now());
  if (row === null) return;
  try {
    await (await open()).put(PAGES, row);
  } catch (error) {
    console.warn('[gloss] could not write the page cache:', error instanceof Error ? error.message : String(error));
  }
}

export async function clearPages(): Promise<void> {
  await (await open()).clear(PAGES);
}
