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

const open = databaseOpener(DB_NAME, 1, (database) => {
  if (!database.objectStoreNames.contains(STORE)) database.createObjectStore(STORE);
});

/**
 * The value under `key`. One an older version kept in `storage.local` is moved here on first read;
 * it is removed there only once it is written here, so a failure loses nothing. A value already here
 * wins, and the one there goes anyway: nothing secret is left where content scripts can read it.
 */
export async function readPrivate(key: string): Promise<unknown> {
  const database = await open();
  const value: unknown = await database.get(STORE, key);
  const legacy: unknown = (await browser.storage.local.get(key))[key];
  if (legacy === undefined) return value;
  if (value === undefined) await database.put(STORE, legacy, key);
  await browser.storage.local.remove(key);
  return value ?? legacy;
}

export async function writePrivate(key: string, value: unknown): Promise<void> {
  const database = await open();
  await database.put(STORE, value, key);
}
