import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import type { Identity } from '../../server/auth/identity.js';
import type { CheckpointOptions } from '../../server/store/checkpointer.js';
import { SqliteStore } from '../../server/store/sqlite-store.js';
import { typicalChat } from '../support/clients.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const who = { tenant: 'public', user: { id: 'u1', name: 'Ann' }, role: 'member' } as Identity;

/** Writes `count` creates in groups of 10, yielding `gapMs` between groups (1 ms: a busy server; 5 ms: a server well below saturation). */
async function steadyWrites(checkpoints: CheckpointOptions, count: number, gapMs = 1): Promise<{ largest: number; rewinds: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-wal-'));
  dirs.push(dir);
  const file = path.join(dir, 'gloss.sqlite');
  const store = new SqliteStore(file, { intervalMs: 20, ...checkpoints });
  store.ensureTenant('public');
  let largest = 0;
  let rewinds = 0;
  let round = -1;
  try {
    for (let i = 0; i < count; i += 10) {
      store.runGroup(Array.from({ length: 10 }, (_, j) => () => {
        const chat = typicalChat(`https://example.com/page-${(i + j) % 50}`);
        return store.create(who, `example.com/page-${(i + j) % 50}`, { broadcastId: chat.id, chat }, Date.now());
      }));
      largest = Math.max(largest, fs.statSync(`${file}-wal`).size);
      // The WAL header's checkpoint sequence number goes up each time the WAL starts over.
      const now = walSequence(`${file}-wal`);
      if (round >= 0 && now !== round) rewinds++;
      round = now;
      await new Promise((r) => setTimeout(r, gapMs));
    }
  } finally {
    store.close();
  }
  return { largest, rewinds };
}

function walSequence(wal: string): number {
  const header = Buffer.alloc(16);
  const fd = fs.openSync(wal, 'r');
  try {
    fs.readSync(fd, header, 0, 16, 0);
  } finally {
    fs.closeSync(fd);
  }
  return header.readUInt32BE(12);
}

const NEVER = Number.MAX_SAFE_INTEGER;

/**
 * Checkpoints run on a worker while the writes go on, and PASSIVE checkpoints alone never let the
 * WAL start over under steady writes. Past `restartFrames` the worker's back-to-back rounds must find
 * the gaps between commits and let the writer rewind by itself (no RESTART allowed here).
 */
it('lets the writer rewind the WAL between commits, without a RESTART', { timeout: 60_000, retry: 2 }, async () => {
  const { rewinds } = await steadyWrites({ restartFrames: 256, forceFrames: NEVER }, 3000, 5);
  // Measured, 3,000 creates with 5 ms between groups of 10: 28–31 rewinds and a WAL of at most
  // 4.5–6 MB (27–29 rewinds with both cores taken by other work). PASSIVE alone (rewindTries 0):
  // 0–2 rewinds and 35–67 MB. Timing decides how many gaps the rounds find, hence the retries:
  // a loaded machine may fail one run, a broken mechanism fails every run.
  expect(rewinds).toBeGreaterThanOrEqual(10);
});

/** Where commits leave no gap long enough, the forced RESTART must keep the WAL bounded instead. */
it('forces the rewind where commits leave no gap', { timeout: 60_000, retry: 2 }, async () => {
  const unbounded = await steadyWrites({ restartFrames: NEVER }, 3000);
  const forced = await steadyWrites({ restartFrames: 256, rewindTries: 0, forceFrames: 256 }, 3000);
  // Measured: 67 MB without it, 6–10 MB with it (256 frames are 1 MB; the file keeps the size it
  // reached before the first rewind, and a loaded machine delays the worker).
  expect(forced.largest).toBeLessThan(16 * 1024 * 1024);
  expect(unbounded.largest).toBeGreaterThan(2 * forced.largest);
});
