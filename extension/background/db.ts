import { databaseOpener } from '../shared/open-db.js';

/**
 * The worker's IndexedDB database `gloss`. Version 1 had the `pages` store (cache.ts); version 2
 * adds `outbox` (outbox-store.ts). Upgrades are stepwise on `oldVersion`, so a profile at any older
 * version arrives at the current one with its data kept.
 */
export const DB_NAME = 'gloss';
export const DB_VERSION = 2;
export const PAGES = 'pages';
export const OUTBOX = 'outbox';

export const openGlossDb = databaseOpener(DB_NAME, DB_VERSION, (database, oldVersion) => {
  if (oldVersion < 1 && !database.objectStoreNames.contains(PAGES)) database.createObjectStore(PAGES, { keyPath: 'pageKey' });
  if (oldVersion < 2 && !database.objectStoreNames.contains(OUTBOX)) database.createObjectStore(OUTBOX, { keyPath: 'broadcastId' });
});
