import { ProtocolError } from '../../protocol/errors.js';

/**
 * SQLite's primary result codes that say the storage itself failed, not the operation: the disk
 * (FULL, IOERR), the file (CORRUPT, NOTADB, READONLY, CANTOPEN), or the lock held too long (BUSY,
 * past busy_timeout) or memory (NOMEM). better-sqlite3 reports extended codes (SQLITE_IOERR_WRITE);
 * the primary code is their prefix.
 */
const STORAGE_CODES = ['SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_BUSY', 'SQLITE_NOMEM'];

/** The SQLite code of a storage failure (e.g. `SQLITE_IOERR_WRITE`), or null for anything else. */
export function storageCode(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  return STORAGE_CODES.some((c) => code === c || code.startsWith(`${c}_`)) ? code : null;
}

/**
 * An operation refused because the storage could not take it: `store_full` (the operator's size
 * limit, GLOSS_DB_MAX_MB) or `store_failed` (anything else: the disk, the file). Nothing of the
 * operation was stored. `sqliteCode` is for the operator's log, never for the client (the message
 * the client gets is fixed): it carries no user data either way.
 */
export class StorageFault extends ProtocolError {
  declare readonly code: 'store_full' | 'store_failed';

  constructor(
    code: 'store_full' | 'store_failed',
    readonly sqliteCode: string,
  ) {
    super(code, code === 'store_full' ? 'the server is out of room for new writes; nothing was changed' : 'the server could not write to its storage; nothing was changed');
    this.name = 'StorageFault';
  }
}
