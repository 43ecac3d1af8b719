import { openDB, type IDBPDatabase, type OpenDBCallbacks } from 'idb';

/**
 * An opener for one IndexedDB database that keeps its connection for the context's lifetime. It lets
 * go of the connection, so that the next call opens a new one instead of failing forever:
 * - when a newer version of the extension asks to upgrade (`blocking`);
 * - when the browser closed it on its own (`terminated`: the site data was cleared, storage
 *   pressure); every later transaction on it would throw "The database connection is closing";
 * - after a failed open.
 */
export function databaseOpener(name: string, version: number, upgrade: OpenDBCallbacks<unknown>['upgrade']): () => Promise<IDBPDatabase> {
  let db: Promise<IDBPDatabase> | null = null;
  return () => {
    if (db !== null) return db;
    const opening = openDB(name, version, {
      upgrade,
      blocking() {
        void opening.then((d) => d.close());
        if (db === opening) db = null;
      },
      terminated() {
        if (db === opening) db = null;
      },
    });
    opening.catch(() => {
      if (db === opening) db = null;
    });
    db = opening;
    return opening;
  };
}
