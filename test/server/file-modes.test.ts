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
