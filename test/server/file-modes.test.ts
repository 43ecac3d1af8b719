import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { connect, request, typicalChat } from '../support/clients.js';
import { startServerProcess, type ServerProcess } from '../support/server-process.js';

let server: ServerProcess | undefined;
let root = '';
afterEach(async () => {
  await server?.stop();
  server = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

const modeOf = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

it('the folder, database, WAL and signing key a fresh server creates are readable by its own account only', async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-modes-'));
  const dir = path.join(root, 'data');
  const dbPath = path.join(dir, 'gloss.sqlite');
  const umask = process.umask(0o022);
  try {
    // The usual umask: without care, SQLite and mkdir would make all of these world-readable.
    server = await startServerProcess({ dbPath, env: { GLOSS_SECRET: '' } });
  } finally {
    process.umask(umask);
  }
  const { socket } = await connect(server.url);
  const chat = typicalChat('https://example.com/modes');
  expect(await request(socket, 'text-chat:create', { broadcastId: chat.id, chat })).toMatchObject({ ok: true });
  socket.disconnect();
  const files = fs.readdirSync(dir).sort();
  expect(files).toEqual(['gloss.sqlite', 'gloss.sqlite-shm', 'gloss.sqlite-wal', 'secret']);
  expect({ dir: modeOf(dir), ...Object.fromEntries(files.map((f) => [f, modeOf(path.join(dir, f))])) }).toEqual({
    dir: '700',
    'gloss.sqlite': '600',
    'gloss.sqlite-shm': '600',
    'gloss.sqlite-wal': '600',
    secret: '600',
  });
});

it('warns at start about an existing data folder, database and signing key others can read, naming path and mode, and leaves their modes alone', async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-modes-'));
  const dir = path.join(root, 'data');
  const dbPath = path.join(dir, 'gloss.sqlite');
  const secretFile = path.join(dir, 'secret');
  const key = 'k'.repeat(40);
  fs.mkdirSync(dir, { mode: 0o755 });
  fs.chmodSync(dir, 0o755);
  fs.writeFileSync(dbPath, '');
  fs.chmodSync(dbPath, 0o644);
  fs.writeFileSync(secretFile, key);
  fs.chmodSync(secretFile, 0o640);
  server = await startServerProcess({ dbPath, env: { GLOSS_SECRET: '' } });
  // Start-up lines come before `listening`, which startServerProcess waited for.
  const warnings = server.logs.filter((l) => l.includes('"file_open_to_others"')).map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(warnings.map((w) => ({ level: w.level, path: w.path, mode: w.mode }))).toEqual([
    { level: 'warn', path: dir, mode: '0755' },
    { level: 'warn', path: dbPath, mode: '0644' },
    { level: 'warn', path: secretFile, mode: '0640' },
  ]);
  expect(server.logs.join('\n')).not.toContain(key);
  expect({ dir: modeOf(dir), db: modeOf(dbPath), secret: modeOf(secretFile) }).toEqual({ dir: '755', db: '644', secret: '640' });
});

it('says nothing about files that only their owner can reach', async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-modes-'));
  server = await startServerProcess({ dbPath: path.join(root, 'data', 'gloss.sqlite'), env: { GLOSS_SECRET: '' } });
  expect(server.logs.filter((l) => l.includes('"file_open_to_others"'))).toEqual([]);
});
