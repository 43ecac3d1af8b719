import browser from 'webextension-polyfill';
import { databaseOpener } from './open-db.js';

/**
 * Where what must never reach a page's process is kept: the settings (with the token) and the
 * anonymous id, which is the anonymous user's credential. `storage.local` is readable by content
 * scripts in both browsers (Chrome can restrict it only in recent versions, Firefox not at all), so a
 * flaw in the content script would hand them over. IndexedDB belongs to an origin: the background and
 * the popup share the extension's, while a content script runs in the page's and cannot open it.
 */
const DB_NAME = 'gloss-private';
const STORE = 'values';

/** The keys an older version kept in `storage.local` (before commit cbed6a6). */
const LEGACY_KEYS = ['settings', 'anonymousId'] as const;

/**
 * Set here once the legacy keys were looked for. `storage.local` is not only readable by content
 * scripts but WRITABLE by them: moving whatever it holds on any read let a content script under a
 * page's control (the threat the private store exists for) plant `settings` whenever none were saved
 * yet (a user who kept the defaults) and point the worker at a server of its choosing, which then
 * heard every page the user opened, every comment, and the anonymous id. So the move happens once per
 * profile, at the first read: the worker reads the settings as it starts, at install (before any page
 * has a content script of ours) or at its first start after an update from an older version (whose
 * content scripts could read these values anyway). After that, `storage.local` is never read for them.
 */
const LEGACY_CHECKED = 'legacyChecked';

const open = databaseOpener(DB_NAME, 1, (database) => {
  if (!database.objectStoreNames.contains(STORE)) database.createObjectStore(STORE);
});

let legacyMove: Promise<void> | null = null;

/**
 * Moves what an older version left in `storage.local`, once (LEGACY_CHECKED). A value already here
 * wins. It is removed there only once written here, so a failure loses nothing (and is tried again).
 */
function moveLegacyOnce(): Promise<void> {
  legacyMove ??= (async () => {
    const database = await open();
    if ((await database.get(STORE, LEGACY_CHECKED)) === true) return;
    const legacy = await browser.storage.local.get([...LEGACY_KEYS]);
    // One transaction: the popup and the worker may both be at their first read.
    const tx = database.transaction(STORE, 'readwrite');
    if ((await tx.store.get(LEGACY_CHECKED)) !== true) {
      for (const key of LEGACY_KEYS) {
        if (legacy[key] !== undefined && (await tx.store.get(key)) === undefined) await tx.store.put(legacy[key], key);
      }
      await tx.store.put(true, LEGACY_CHECKED);
    }
    await tx.done;
    // Nothing secret is left where content scripts can read it.
    if (LEGACY_KEYS.some((key) => legacy[key] !== undefined)) await browser.storage.local.remove([...LEGACY_KEYS]);
  })();
  legacyMove.catch(() => {
    legacyMove = null;
  });
  return legacyMove;
}

/** The value under `key`; an older version's, left in `storage.local`, is moved here first (moveLegacyOnce). */
export async function readPrivate(key: string): Promise<unknown> {
  await moveLegacyOnce();
  const database = await open();
  return database.get(STORE, key);
}

export async function writePrivate(key: string, value: unknown): Promise<void> {
  const database = await open();
  await database.put(STORE, value, key);
}
