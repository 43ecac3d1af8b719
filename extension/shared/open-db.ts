import { openDB, type IDBPDatabase, type OpenDBCallbacks } from 'idb';

/**
 * An opener for one IndexedDB database that keeps its connection for the context's lifetime. It lets
 * go of the connection when a newer version of the extension asks to upgrade (`blocking`), and after
 * a failed open, so that the next call tries again instead of returning the same failure forever.
 */
export function databaseOpener(name: string, version: number, upgrade: OpenDBCallbacks<unknown>['upgrade']): () => Promise<IDBPDatabase> {
  let db: Promise<IDBPDatabase> | null = null;
  return () => {
    db ??= openDB(name, version, {
      upgrade,
      blocking() {
        void db?.then((d) => d.close());
        db = null;
      },
    });
    db.catch(() => {
      db = null;
    });
    return db;
  };
}
