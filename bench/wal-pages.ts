import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Identity } from '../server/auth/identity.js';
import { SqliteStore } from '../server/store/sqlite-store.js';
import { createRequest } from './lib/payload.js';

/**
 * WAL pages written per create, by B-tree (not part of `npm run bench`): every page a commit touches
 * is written to the WAL whole, then copied again by the checkpointer, so this count is what a
 * schema change on the hot path is judged by (docs/benchmarks.md, changes 6, 13 and 19).
 *   tsx bench/wal-pages.ts [existing creates=20000] [creates per transaction=1] [ids=v7|v4]
 * Fills a store with the existing creates (100 pages), checkpoints, then commits 500 more in groups
 * and reads the WAL's frame headers; dbstat names the B-tree of each page. Ids are UUIDv7 by default,
 * as the extension makes them (protocol/ids.ts); v4 is what any other client may send.
 */
const existing = Number(process.argv[2] ?? 20_000);
const group = Number(process.argv[3] ?? 1);
const randomIds = process.argv[4] === 'v4';
const MEASURED = 500;
const who = { tenant: 'public', user: { id: 'anon-bench', name: 'Bench' }, role: 'member' } as unknown as Identity;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-wal-pages-'));
const file = path.join(dir, 'gloss.sqlite');
// No checkpoints while measuring: the WAL then holds every frame the measured commits wrote.
const store = new SqliteStore(file, { intervalMs: 1e9 });
store.ensureTenant('public');
const creates = (from: number, n: number) =>
  Array.from({ length: n }, (_, j) => () => {
    const req = createRequest((from + j) % 100);
    if (randomIds) req.chat.id = crypto.randomUUID();
    return store.create(who, `example.org/page-${(from + j) % 100}`, req, Date.now());
  });

for (let i = 0; i < existing; i += 10) store.runGroup(creates(i, 10));
const side = new Database(file);
side.pragma('wal_checkpoint(TRUNCATE)');
for (let i = 0; i < MEASURED; i += group) store.runGroup(creates(existing + i, group));

const wal = fs.readFileSync(`${file}-wal`);
const pageSize = wal.readUInt32BE(8);
const owner = new Map(
  (side.prepare('SELECT pageno, name, pagetype FROM dbstat').all() as { pageno: number; name: string; pagetype: string }[]).map((r) => [r.pageno, `${r.name} (${r.pagetype})`]),
);
const byTree = new Map<string, number>();
let frames = 0;
// WAL: a 32-byte header, then frames of a 24-byte header (page number first) and the page.
for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
  frames++;
  const name = owner.get(wal.readUInt32BE(at)) ?? 'other';
  byTree.set(name, (byTree.get(name) ?? 0) + 1);
}
process.stdout.write(`${group} create(s) per transaction, UUID${randomIds ? 'v4' : 'v7'} ids: ${(frames / MEASURED).toFixed(2)} WAL pages per create\n`);
for (const [name, n] of [...byTree].sort((a, b) => b[1] - a[1])) process.stdout.write(`  ${(n / MEASURED).toFixed(2)}  ${name}\n`);
side.close();
store.close();
fs.rmSync(dir, { recursive: true, force: true });
