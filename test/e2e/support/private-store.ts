import type { WebWorker } from 'puppeteer';

/**
 * The extension's private store (extension/shared/private-store.ts: IndexedDB `gloss-private`, store
 * `values`), read and changed from the service worker, whose origin it belongs to.
 */
export function privateValues(worker: WebWorker): Promise<Record<string, unknown>> {
  return worker.evaluate(
    () =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const open = indexedDB.open('gloss-private');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const out: Record<string, unknown> = {};
          const cursor = open.result.transaction('values').objectStore('values').openCursor();
          cursor.onerror = () => reject(cursor.error);
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (c === null) return resolve(out);
            out[String(c.key)] = c.value;
            c.continue();
          };
        };
      }),
  );
}

/** Puts `value` under `key`, or deletes the key when `value` is undefined. */
export function changePrivate(worker: WebWorker, key: string, value?: unknown): Promise<void> {
  return worker.evaluate(
    (k, v, remove) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('gloss-private');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction('values', 'readwrite');
          if (remove) tx.objectStore('values').delete(k);
          else tx.objectStore('values').put(v, k);
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        };
      }),
    key,
    value ?? null,
    value === undefined,
  );
}
