import fs from 'node:fs';
import path from 'node:path';

/**
 * Creates the database's folder (0700) and the database file (0600) when they do not exist yet, so
 * that other accounts on the machine cannot read every tenant's conversations or the signing key
 * beside them. SQLite gives its `-wal` and `-shm` files the mode of the database file. A folder or
 * file that already exists keeps the mode its operator gave it (a backup account may need to read
 * it); only what Gloss creates is made private.
 */
export function createPrivately(file: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    fs.closeSync(fs.openSync(file, 'wx', 0o600));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
}

/** The database's folder, created 0700 when it does not exist (see createPrivately). */
export function createPrivateFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}
