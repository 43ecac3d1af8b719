import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import { SCHEMA_VERSION } from '../../server/store/schema.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { connect, request, typicalChat } from '../support/clients.js';
import { damageTable } from '../support/db.js';
import { issueToken, runServerToExit, startServerProcess, tempDbPath } from '../support/server-process.js';

const files: string[] = [];
afterEach(() => files.splice(0).forEach((f) => fs.rmSync(path.dirname(f), { recursive: true, force: true })));

const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;

/**
 * A database as a newer Gloss would leave it: this code's schema and one conversation, then one more
 * migration (a table this code does not know) recorded in user_version. In rollback-journal mode, so
 * that even the header rewrite of `journal_mode = WAL` would show in the bytes.
 */
function newerDatabase(): string {
  const file = tempDbPath();
  files.push(file);
  const store = new SqliteStore(file);
  store.ensureTenant('public');
  const chat = typicalChat('https://example.com/newer');
  store.create(who, 'example.com/newer', { broadcastId: chat.id, chat }, 1_000);
  store.close();
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.exec('CREATE TABLE future_reactions (conversation INTEGER NOT NULL, emoji TEXT NOT NULL)');
  db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
  db.close();
  return file;
}

/**
 * Every file of the database's folder with its SHA-256 and modification time: a refusal must leave
 * all of them as they were, and create none (no -wal or -shm beside the database).
 */
function folder(file: string): Record<string, string> {
  const dir = path.dirname(file);
  return Object.fromEntries(
    fs.readdirSync(dir).map((name) => {
      const full = path.join(dir, name);
      return [name, `${createHash('sha256').update(fs.readFileSync(full)).digest('hex')} ${fs.statSync(full).mtimeMs}`];
    }),
  );
}

/** A file in a fresh temporary folder with these bytes (mode 0600, so that no open-mode warning joins the log). */
function fileWith(bytes: Buffer | string): string {
  const file = tempDbPath();
  files.push(file);
  fs.writeFileSync(file, bytes, { mode: 0o600 });
  return file;
}

/** A SQLite database some other program wrote (rollback-journal mode, as most programs leave theirs). */
function foreignDatabase(userVersion: number, sql: string): string {
  const file = tempDbPath();
  files.push(file);
  const db = new Database(file);
  db.pragma('journal_mode = DELETE');
  db.exec(sql);
  db.pragma(`user_version = ${userVersion}`);
  db.close();
  fs.chmodSync(file, 0o600);
  return file;
}

const runServer = (dbPath: string) => runServerToExit({ GLOSS_DB: dbPath });

it('refuses to start on a database written by a newer Gloss, with code schema_too_new, a nonzero exit and the file unchanged', async () => {
  const file = newerDatabase();
  const before = folder(file);
  const { code, lines } = await runServer(file);
  expect(lines.map((l) => l.event)).not.toContain('listening');
  expect(lines).toContainEqual(expect.objectContaining({ level: 'error', event: 'startup_refused', code: 'schema_too_new' }));
  const message = String(lines.find((l) => l.event === 'startup_refused')?.message);
  expect(message).toMatch(new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this server's ${SCHEMA_VERSION}`));
  // What the operator can do about it: run the newer server, or go back to a backup.
  expect(message).toMatch(/Run that version .*restore a backup/);
  expect(code).toBe(1);
  expect(folder(file)).toEqual(before);
});

/** The refusal as main.ts prints it: one JSON line with this code, exit 1, no stack trace, the folder untouched. */
async function expectRefused(file: string, code: string, message: RegExp): Promise<void> {
  const before = folder(file);
  const run = await runServer(file);
  expect(run.lines).toEqual([expect.objectContaining({ level: 'error', event: 'startup_refused', code })]);
  expect(String(run.lines[0]?.message)).toMatch(message);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(1);
  expect(folder(file)).toEqual(before);
}

it('refuses a file that is not a SQLite database with code not_a_database, one log line, and leaves it as it was', async () => {
  await expectRefused(fileWith('{"conversations": []}\n'.repeat(200)), 'not_a_database', /is not a SQLite database .*GLOSS_DB/);
});

it('refuses another program\'s SQLite database (user_version 0, tables of its own) with code not_gloss_database, adding nothing to it', async () => {
  const file = foreignDatabase(0, 'CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 9.5);');
  await expectRefused(file, 'not_gloss_database', /not Gloss's \(schema version 0, tables: invoices\)/);
});

it('refuses a foreign database that shares a table name with Gloss, instead of failing halfway through migration 1', async () => {
  await expectRefused(foreignDatabase(0, 'CREATE TABLE tenants (name TEXT)'), 'not_gloss_database', /not Gloss's/);
});

it('refuses a versioned SQLite database without Gloss\'s tables', async () => {
  await expectRefused(foreignDatabase(3, 'CREATE TABLE settings (k TEXT, v TEXT)'), 'not_gloss_database', /schema version 3, tables: settings/);
});

/**
 * A database the real server wrote (a few conversations through a socket, then a clean stop), with
 * the `comments` table's root page damaged (damageTable).
 */
async function damagedDatabase(): Promise<string> {
  const server = await startServerProcess();
  files.push(server.dbPath);
  const { socket } = await connect(server.url);
  for (let i = 0; i < 20; i++) {
    const chat = typicalChat('https://example.com/damaged');
    expect(await request(socket, 'text-chat:create', { broadcastId: chat.id, chat })).toMatchObject({ ok: true });
  }
  socket.close();
  await server.stop();
  damageTable(server.dbPath, 'comments');
  // The stopped server's checkpointer can leave an empty WAL and its index behind; SQLite removes
  // them at the next close, which would count as a change of the folder below.
  expect(fs.statSync(`${server.dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
  for (const extra of ['-wal', '-shm']) fs.rmSync(`${server.dbPath}${extra}`, { force: true });
  return server.dbPath;
}

it('refuses a database with a damaged page with code database_corrupt and advice to restore a backup, leaving it as it was', async () => {
  await expectRefused(await damagedDatabase(), 'database_corrupt', /is damaged \(SQLite: .*\)\. Stop here and restore the latest backup/);
}, 30_000);

it('the server still starts on a database of this very schema, and on an empty file', async () => {
  const file = tempDbPath();
  files.push(file);
  new SqliteStore(file).close();
  expect((await runServer(file)).lines.map((l) => l.event)).toContain('listening');
  expect((await runServer(fileWith(''))).lines.map((l) => l.event)).toContain('listening');
});

it('the token command refuses such a database too, and registers no tenant in it', async () => {
  const file = newerDatabase();
  const before = folder(file);
  await expect(issueToken({ dbPath: file }, { tenant: `t${randomUUID().slice(0, 8)}`, user: 'alice', name: 'Alice' })).rejects.toThrow(/schema_too_new/);
  expect(folder(file)).toEqual(before);
});

it('a database of this very schema still opens', () => {
  const file = tempDbPath();
  files.push(file);
  new SqliteStore(file).close();
  const store = new SqliteStore(file);
  expect(store.tenantExists('public')).toBe(false);
  store.close();
});
