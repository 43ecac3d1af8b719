import { databaseOpener } from '../shared/open-db.js';

/**
 * The worker's IndexedDB database `gloss`. Version 1 had the `pages` store (cache.ts); version 2
 * adds `outbox` (outbox-store.ts); version 3 stores a page's cache in pieces: `pages` holds a row per
 * page (its seq and tombstones) and `conversations` a row per non-empty bucket of the page's
 * conversations (`{ pageKey, id, conversations }`, `id` the bucket's number, cache-buckets.ts),
 * keyed [pageKey, id], so that a write stores the buckets that changed instead of the whole page
 * (cache.ts), and a whole write or read is 64 rows, not one per conversation.
 * Upgrades are stepwise on `oldVersion`, so a profile at any older version arrives at the current
 * one; the outbox is kept through every step.
 *
 * Version 3 first stored a row per conversation in the same store, keyed [pageKey, id] with `id` the
 * conversation's (main only, never released). Buckets were put in that layout in place rather than
 * behind a version 4: the store, its name and its key path are the same, only what a row holds
 * differs, and a version bump would keep an upgrade step for a layout no user ever had. A profile
 * left by the interim layout on a developer's machine is read safely: its rows are not buckets
 * (a string `id`, no `conversations`), so cache-codec.ts drops them and distrusts the seq, the page
 * is joined afresh, and its snapshot's whole write clears the page's rows, old ones included (both
 * kinds of key fall in pageRange). Writes work on such a profile from the start, the key path being
 * the one they need.
 *
 * The cached pages of a version 1 or 2 profile (a row per page holding all its conversations) are
 * dropped by the upgrade to 3, not migrated. The server is the source of truth: a page with no
 * cached row is joined afresh, as on a first visit, and gets its conversations in the join's
 * snapshot. A migration would write every cached conversation again inside the upgrade's own
 * transaction, from data that must be treated as untrusted, and anything failing in it (the quota, a
 * row whose key cannot be made) aborts the upgrade: the database would stay at version 2, unopenable
 * by this version, outbox included, whose ops exist nowhere else. Dropping a store cannot fail that
 * way and frees space instead of needing it. What is lost: until a page is joined again after the
 * update, its tabs show nothing cached (offline, until the server is reached).
 */
export const DB_NAME = 'gloss';
export const DB_VERSION = 3;
export const PAGES = 'pages';
export const CONVERSATIONS = 'conversations';
export const OUTBOX = 'outbox';

export const openGlossDb = databaseOpener(DB_NAME, DB_VERSION, (database, oldVersion) => {
  if (oldVersion < 1 && !database.objectStoreNames.contains(PAGES)) database.createObjectStore(PAGES, { keyPath: 'pageKey' });
  if (oldVersion < 2 && !database.objectStoreNames.contains(OUTBOX)) database.createObjectStore(OUTBOX, { keyPath: 'broadcastId' });
  if (oldVersion < 3) {
    if (database.objectStoreNames.contains(PAGES)) database.deleteObjectStore(PAGES);
    database.createObjectStore(PAGES, { keyPath: 'pageKey' });
    if (!database.objectStoreNames.contains(CONVERSATIONS)) database.createObjectStore(CONVERSATIONS, { keyPath: ['pageKey', 'id'] });
  }
});

/** Every key of `conversations` of one page: [pageKey] sorts before [pageKey, id] and [pageKey, []] after any number or string id. */
export function pageRange(pageKey: string): IDBKeyRange {
  return IDBKeyRange.bound([pageKey], [pageKey, []]);
}
