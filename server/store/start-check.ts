import fs from 'node:fs';
import type Database from 'better-sqlite3';
import { assertUndamaged, SCHEMA_VERSION } from './schema.js';

/**
 * GLOSS_DB_CHECK: when a start reads the whole database with `PRAGMA quick_check` (schema.ts,
 * assertUndamaged). The check costs 1.5-7.5 ms per MB from the page cache and 20-50 ms per MB from
 * this machine's disk (docs/architecture.md, "Checking the database at start"): every restart of a
 * 2 GB database waited for it. `auto` runs it only when the file may have changed in a way no clean
 * close of ours left it: after a crash or a kill, after anything wrote to it while the server was
 * stopped (a restored backup, a copy, an edit), and before a migration. `always` is the old
 * behaviour, `off` never checks (damage is then met by the first operations that read it, as
 * `store_failed`).
 */
export const START_CHECK_MODES = ['auto', 'always', 'off'] as const;
export type StartCheckMode = (typeof START_CHECK_MODES)[number];

/**
 * Why the check ran or not, as the `integrity_check` log line says it: `clean_shutdown` is the one
 * reason `auto` skips it.
 */
export type StartCheckReason = 'always' | 'off' | 'clean_shutdown' | 'no_clean_shutdown' | 'changed_since_shutdown' | 'migration_pending';

export interface StartCheck {
  ran: boolean;
  reason: StartCheckReason;
  /** How long the check took (the log's figure; tests look at `ran`, never at this). */
  ms?: number;
}

/** What the files were like when the last start began, before this process opened anything. */
export type Shutdown = 'clean_shutdown' | 'no_clean_shutdown' | 'changed_since_shutdown';

/**
 * The record of a clean close, beside the database: the file's identity, size and times right after
 * SQLite closed it with the WAL copied in and emptied. It is removed as soon as a start has judged
 * the file, so a server that dies in any way (SIGKILL, a crash, power) leaves none behind. Our own
 * file, not SQLite's leftovers: the WAL and its index are not reliable signs, since the
 * checkpointer's connection can outlive the writer's and leave an empty WAL after a clean stop, and
 * a backup restored without its WAL leaves none after a dirty one.
 */
const recordOf = (file: string) => `${file}-closed`;

interface Fingerprint {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
  /**
   * The change time: every write, `touch`, `cp -p` or `chmod` sets it to the clock and nothing can set
   * it back, so a file copied or edited while the server was stopped differs even when its size and
   * modification time were made to match.
   */
  ctimeNs: string;
}

function fingerprint(file: string): Fingerprint | null {
  const s = fs.statSync(file, { bigint: true, throwIfNoEntry: false });
  if (!s) return null;
  return { dev: String(s.dev), ino: String(s.ino), size: String(s.size), mtimeNs: String(s.mtimeNs), ctimeNs: String(s.ctimeNs) };
}

/**
 * How the last run left the files, read before this process opens the database (opening reads it,
 * which changes nothing, but a WAL it recovers would be rewritten at close). A WAL with frames means
 * commits not copied into the database: a clean close leaves it empty or removes it.
 */
export function lastShutdown(file: string): Shutdown {
  let recorded: unknown;
  try {
    recorded = JSON.parse(fs.readFileSync(recordOf(file), 'utf8'));
  } catch {
    return 'no_clean_shutdown';
  }
  const now = fingerprint(file);
  const same = now !== null && Object.entries(now).every(([k, v]) => (recorded as Record<string, unknown>)[k] === v);
  const walFrames = (fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0;
  return same && !walFrames ? 'clean_shutdown' : 'changed_since_shutdown';
}

/**
 * Runs quick_check when `mode` and how the files were left call for it (refusing a damaged file with
 * `database_corrupt`), and says what it did. Before any write: the caller has only read the schema
 * version. A pending migration is checked even after a clean close: a migration rewrites whole
 * tables, and damage copied into them would no longer be where the check finds it.
 */
export function checkAtStart(db: Database.Database, file: string, mode: StartCheckMode, shutdown: Shutdown): StartCheck {
  const version = db.pragma('user_version', { simple: true }) as number;
  const reason: StartCheckReason =
    mode !== 'auto' ? mode : version > 0 && version < SCHEMA_VERSION ? 'migration_pending' : shutdown;
  if (reason === 'off' || reason === 'clean_shutdown') return { ran: false, reason };
  const started = performance.now();
  assertUndamaged(db, file);
  return { ran: true, reason, ms: Math.round(performance.now() - started) };
}

/**
 * Forgets the last clean close once this start has judged the file: from now on it is written, and
 * only our own clean close may say again that it was left whole.
 */
export function forgetShutdown(file: string): void {
  fs.rmSync(recordOf(file), { force: true });
}

/**
 * Records a clean close, after SQLite closed the database. Private like the database (it names only
 * sizes and times). A record that cannot be written costs a check at the next start, nothing more.
 */
export function recordShutdown(file: string): void {
  const print = fingerprint(file);
  if (!print) return;
  try {
    fs.writeFileSync(recordOf(file), `${JSON.stringify(print)}\n`, { mode: 0o600 });
  } catch {
    /* the next start checks */
  }
}
