import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import { SCHEMA_VERSION } from '../../server/store/schema.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { typicalChat } from '../support/clients.js';
import { issueToken, ROOT, TEST_SECRET, tempDbPath } from '../support/server-process.js';

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

/** Every file of the database's folder with its SHA-256: a refusal must leave all of them as they were. */
function folder(file: string): Record<string, string> {
  const dir = path.dirname(file);
  return Object.fromEntries(fs.readdirSync(dir).map((name) => [name, createHash('sha256').update(fs.readFileSync(path.join(dir, name))).digest('hex')]));
}

/** `server/main.ts` as `npm run server` runs it, until it exits (killed if it starts listening instead). */
function runServer(dbPath: string): Promise<{ code: number | null; lines: Record<string, unknown>[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'server', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', GLOSS_DB: dbPath, GLOSS_SECRET: TEST_SECRET, GLOSS_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    if (out.includes('"event":"listening"')) child.kill('SIGKILL');
  });
  return new Promise((resolve) =>
    child.once('exit', (code) => resolve({ code, lines: out.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) })),
  );
}

it('refuses to start on a database written by a newer Gloss, with code schema_too_new, a nonzero exit and the file unchanged', async () => {
  const file = newerDatabase();
  const before = folder(file);
  const { code, lines } = await runServer(file);
  expect(lines.map((l) => l.event)).not.toContain('listening');
  expect(lines).toContainEqual(expect.objectContaining({ level: 'error', event: 'startup_refused', code: 'schema_too_new' }));
  expect(String(lines.find((l) => l.event === 'startup_refused')?.message)).toMatch(new RegExp(`schema version ${SCHEMA_VERSION + 1}, newer than this server's ${SCHEMA_VERSION}`));
  expect(code).toBe(1);
  expect(folder(file)).toEqual(before);
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
