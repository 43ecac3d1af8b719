import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { SqliteStore } from '../../server/store/sqlite-store.js';

/** A fresh SQLite file per test, in its own temporary folder, with the public tenant; closed and removed after. */
export function useTempStore(prefix: string): { store(): SqliteStore; file(): string } {
  let dir = '';
  let store: SqliteStore | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    store = new SqliteStore(path.join(dir, 'gloss.sqlite'));
    store.ensureTenant('public');
  });
  afterEach(() => {
    store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { store: () => store!, file: () => path.join(dir, 'gloss.sqlite') };
}
