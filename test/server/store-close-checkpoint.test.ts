import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { startCheckpointHolder, type CheckpointHolder } from '../support/checkpoint-holder.js';
import { typicalChat } from '../support/clients.js';
import { dbState } from '../support/db.js';

/**
 * The checkpoint of the server's close (sqlite-store.ts, emptyWal) when another connection holds
 * SQLite's checkpoint lock, which answers a checkpoint busy at once, without the busy timeout: it is
 * tried again, 10 ms apart, for at most 2 s, and a WAL left with frames costs a check at the next start
 * (start-check.ts). A real file, the real store, and a real second process holding the lock.
 */

const dirs: string[] = [];
const holders: CheckpointHolder[] = [];
afterEach(async () => {
  for (const h of holders.splice(0)) await h.stop('SIGKILL');
  dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});
const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;

/** The server's store (GLOSS_DB_CHECK=auto, so it records clean closes), with no checkpointer rounds to interleave. */
function open(file: string): SqliteStore {
  return new SqliteStore(file, { intervalMs: 3_600_000 }, {}, 'auto');
}

function write(store: SqliteStore, count: number): void {
  for (let i = 0; i < count; i++) {
    const chat = typicalChat('https://example.com/close-checkpoint');
    expect(store.create(who, 'example.com/close-checkpoint', { broadcastId: chat.id, chat }, Date.now())).toBeTruthy();
  }
}

/** A store with 40 conversations whose last 20 are in the WAL only, and another process holding the checkpoint lock. */
async function storeWithHeldCheckpoint(): Promise<{ file: string; store: SqliteStore; holder: CheckpointHolder }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-close-'));
  dirs.push(dir);
  const file = path.join(dir, 'gloss.sqlite');
  const store = open(file);
  store.ensureTenant('public');
  write(store, 20);
  const holder = await startCheckpointHolder(file);
  holders.push(holder);
  // Written after the holder's read began: its checkpoint can copy them only once that read ends.
  write(store, 20);
  await holder.holdCheckpoint();
  return { file, store, holder };
}

const walSize = (file: string) => fs.statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;

/** What the next start of the store on `file` said about the check, and how many conversations it finds. */
function nextStart(file: string): { check: unknown; conversations: number } {
  const again = open(file);
  const check = again.startCheck;
  again.close();
  return { check, conversations: dbState(file).conversations };
}

it('a close that finds the checkpoint lock taken tries again, and once it is free records the clean close: the next start skips the check', async () => {
  const { file, store, holder } = await storeWithHeldCheckpoint();
  // The lock is let go 300 ms into the close. A time, not a condition: close() is synchronous and
  // shows nothing while it retries, so the other process cannot wait for its first try. The time
  // decides nothing for a close that retries (its 2 s outlast it), only that one that does not retry
  // is seen: it returns at once, with the WAL still full and the file then written by the other
  // checkpoint after its clean close was recorded.
  holder.release(300);
  store.close();
  // Close returned only once the other checkpoint had copied the WAL in and emptied it.
  expect(walSize(file)).toBe(0);
  expect(await holder.checkpointed).toMatchObject({ busy: 0 });
  await holder.stop();

  expect(nextStart(file)).toEqual({ check: { ran: false, reason: 'clean_shutdown' }, conversations: 40 });
});

it('a close whose checkpoint stays busy gives up after its tries, leaving the WAL; the next start checks the file and finds every commit', async () => {
  const { file, store, holder } = await storeWithHeldCheckpoint();
  store.close();
  // The other process still holds the lock: the commits written after its read are in the WAL only.
  expect(walSize(file)).toBeGreaterThan(0);
  // It dies without completing its checkpoint, as a killed backup tool would.
  await holder.stop('SIGKILL');

  expect(nextStart(file)).toEqual({ check: { ran: true, reason: 'changed_since_shutdown', ms: expect.any(Number) }, conversations: 40 });
}, 30_000);
