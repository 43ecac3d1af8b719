import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate, SCHEMA_VERSION } from '../../server/store/schema.js';
import { recordShutdown } from '../../server/store/start-check.js';
import { connect, request, typicalChat } from '../support/clients.js';
import { damageTable } from '../support/db.js';
import { issueToken, runServerToExit, startServerProcess, tempDbPath, type ServerProcess } from '../support/server-process.js';

/**
 * GLOSS_DB_CHECK (server/store/start-check.ts): whether a start of the real server reads the whole
 * database with quick_check, seen in its `integrity_check` log line (`ran` or `skipped`, and why),
 * never in how long the start took.
 */
const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function newDbPath(): string {
  const file = tempDbPath();
  dirs.push(path.dirname(file));
  return file;
}

/** What the start said about the check. */
function startCheck(server: ServerProcess): { check: unknown; reason: unknown } {
  const lines = server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'integrity_check');
  expect(lines).toHaveLength(1);
  return { check: lines[0]!.check, reason: lines[0]!.reason };
}

async function start(dbPath: string, env: Record<string, string> = {}): Promise<{ server: ServerProcess; check: { check: unknown; reason: unknown } }> {
  const server = await startServerProcess({ dbPath, env: { GLOSS_LOG_LEVEL: 'info', ...env } });
  return { server, check: startCheck(server) };
}

/** A few conversations written through a socket, so the run changed the file. */
async function write(server: ServerProcess, count = 1): Promise<void> {
  const { socket } = await connect(server.url);
  for (let i = 0; i < count; i++) {
    const chat = typicalChat('https://example.com/start-check');
    expect(await request(socket, 'text-chat:create', { broadcastId: chat.id, chat })).toMatchObject({ ok: true });
  }
  socket.close();
}

async function killed(server: ServerProcess): Promise<void> {
  server.kill('SIGKILL');
  await server.exited;
}

it('after its own clean stop the next start skips quick_check; after a kill -9 the next start runs it', async () => {
  const dbPath = newDbPath();
  let { server, check } = await start(dbPath);
  expect(check).toEqual({ check: 'ran', reason: 'no_clean_shutdown' });
  await write(server);
  await server.stop();

  ({ server, check } = await start(dbPath));
  expect(check).toEqual({ check: 'skipped', reason: 'clean_shutdown' });
  await write(server);
  await killed(server);

  ({ server, check } = await start(dbPath));
  expect(check).toEqual({ check: 'ran', reason: 'no_clean_shutdown' });
  await server.stop();
}, 30_000);

/** A database the server wrote 20 conversations into, then stopped cleanly. */
async function writtenAndStopped(): Promise<string> {
  const dbPath = newDbPath();
  const { server } = await start(dbPath);
  await write(server, 20);
  await server.stop();
  return dbPath;
}

/** The `comments` table damaged in the file, and the next start refused for it. */
async function expectDamageRefused(dbPath: string): Promise<void> {
  damageTable(dbPath, 'comments');
  const run = await runServerToExit({ GLOSS_DB: dbPath });
  expect(run.lines).toEqual([expect.objectContaining({ event: 'startup_refused', code: 'database_corrupt' })]);
  expect(run.code).toBe(1);
}

it('a file changed while the server was stopped is checked, and a damaged one is still refused database_corrupt', async () => {
  const dbPath = await writtenAndStopped();
  // The same bytes, but touched: a copy or a restore the server did not make.
  const { mtime } = fs.statSync(dbPath);
  fs.utimesSync(dbPath, mtime, mtime);
  const { server, check } = await start(dbPath);
  expect(check).toEqual({ check: 'ran', reason: 'changed_since_shutdown' });
  await server.stop();
  await expectDamageRefused(dbPath);
}, 30_000);

it('a start after a kill -9 runs the check and refuses a damaged file, though the killed run found it whole', async () => {
  const dbPath = await writtenAndStopped();
  const { server, check } = await start(dbPath);
  expect(check).toEqual({ check: 'skipped', reason: 'clean_shutdown' });
  await killed(server);
  // Damage the killed run did not write (its WAL holds none of the comments' pages: it wrote nothing).
  expect(fs.statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
  await expectDamageRefused(dbPath);
}, 30_000);

it('GLOSS_DB_CHECK=always checks after a clean stop; off never checks, and a run that did not check records no clean stop', async () => {
  const dbPath = newDbPath();
  let { server, check } = await start(dbPath);
  await server.stop();
  ({ server, check } = await start(dbPath, { GLOSS_DB_CHECK: 'always' }));
  expect(check).toEqual({ check: 'ran', reason: 'always' });
  await write(server);
  await killed(server);

  ({ server, check } = await start(dbPath, { GLOSS_DB_CHECK: 'off' }));
  expect(check).toEqual({ check: 'skipped', reason: 'off' });
  await server.stop();
  // Off after a kill: nobody has looked at the file since, so auto does.
  ({ server, check } = await start(dbPath));
  expect(check).toEqual({ check: 'ran', reason: 'no_clean_shutdown' });
  await server.stop();
}, 30_000);

it('a start that migrates checks the file first, even after a clean stop', async () => {
  const dbPath = newDbPath();
  const old = new Database(dbPath);
  old.pragma('journal_mode = WAL');
  migrate(old, SCHEMA_VERSION - 1);
  old.close();
  // As the clean stop of the previous version would leave it (with this change in it).
  recordShutdown(dbPath);
  const { server, check } = await start(dbPath);
  expect(check).toEqual({ check: 'ran', reason: 'migration_pending' });
  await server.stop();
}, 30_000);

it('damage met at run time makes the next start check, though the run began from a clean stop and ended with one', async () => {
  const dbPath = await writtenAndStopped();
  const { server, check } = await start(dbPath);
  expect(check).toEqual({ check: 'skipped', reason: 'clean_shutdown' });
  // Nothing has read the comments yet (the check was skipped): the join reads the damaged page.
  damageTable(dbPath, 'comments');
  const { socket } = await connect(server.url);
  expect(await request(socket, 'page:join', { url: 'https://example.com/start-check' })).toMatchObject({ ok: false });
  socket.close();
  await server.stop();
  const run = await runServerToExit({ GLOSS_DB: dbPath });
  expect(run.lines).toEqual([expect.objectContaining({ event: 'startup_refused', code: 'database_corrupt' })]);
}, 30_000);

it('an I/O error met at run time makes the next start check, though the disk had room again and the run ended with a clean stop', async () => {
  const dbPath = await writtenAndStopped();
  // Writes past 1 MiB fail (RLIMIT_FSIZE), as on a full disk: the WAL's append stops short at the
  // limit and its rest fails with EFBIG, which SQLite reports as SQLITE_IOERR_WRITE, not as damage.
  const server = await startServerProcess({ dbPath, fileSizeBlocks: 2048, env: { GLOSS_LOG_LEVEL: 'info', GLOSS_RATE_PER_SECOND: '10000', GLOSS_RATE_BURST: '10000' } });
  expect(startCheck(server)).toEqual({ check: 'skipped', reason: 'clean_shutdown' });
  const { socket } = await connect(server.url);
  const create = async () => {
    const chat = { ...typicalChat('https://example.com/start-check-io'), text: 'x'.repeat(10_000) };
    return (await request(socket, 'text-chat:create', { broadcastId: chat.id, chat })) as { ok: boolean };
  };
  const codes = () => server.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'store_failed').map((l) => String(l.sqliteCode));
  for (let i = 0; i < 1_000 && !codes().some((c) => c.startsWith('SQLITE_IOERR')); i++) await create();
  // An I/O error, and no damage: the branch of the store that this run can have taken is the I/O error's.
  expect(codes()).toContainEqual(expect.stringMatching(/^SQLITE_IOERR/));
  for (const code of codes()) expect(code).toMatch(/^SQLITE_(IOERR|FULL)/);

  // The operator frees the disk: the limit is lifted for the running server, which writes again.
  await new Promise<void>((resolve, reject) => execFile('prlimit', ['--pid', String(server.pid), '--fsize=unlimited'], (err) => (err ? reject(err) : resolve())));
  expect(await create()).toMatchObject({ ok: true });
  socket.close();
  await server.stop();
  // The close itself went well (the WAL copied in and emptied); only the I/O error keeps it from
  // recording a clean stop.
  expect(fs.statSync(`${dbPath}-wal`, { throwIfNoEntry: false })?.size ?? 0).toBe(0);
  expect(fs.existsSync(`${dbPath}-closed`), 'a clean stop recorded after the I/O error').toBe(false);

  const again = await start(dbPath);
  expect(again.check).toEqual({ check: 'ran', reason: 'no_clean_shutdown' });
  await again.server.stop();
}, 60_000);

it('a token issued while the server is stopped follows the same rule: no second check after a clean stop, one after a kill', async () => {
  const dbPath = newDbPath();
  let { server, check } = await start(dbPath);
  await write(server);
  await server.stop();
  await issueToken({ dbPath }, { tenant: 'acme', user: 'alice', name: 'Alice' });
  ({ server, check } = await start(dbPath));
  expect(check, 'the token command closed the file as cleanly as the server had').toEqual({ check: 'skipped', reason: 'clean_shutdown' });

  await killed(server);
  await issueToken({ dbPath }, { tenant: 'acme', user: 'bob', name: 'Bob' });
  ({ server, check } = await start(dbPath));
  expect(check, 'the token command checked the killed file, then closed it cleanly').toEqual({ check: 'skipped', reason: 'clean_shutdown' });
  await server.stop();
});
