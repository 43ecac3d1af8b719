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
async function steadyWrites(checkpoints: CheckpointOptions, count: number, gapMs = 1): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gloss-wal-'));
  dirs.push(dir);
  const file = path.join(dir, 'gloss.sqlite');
  const store = new SqliteStore(file, { intervalMs: 20, ...checkpoints });
  store.ensureTenant('public');
  let largest = 0;
  try {
    for (let i = 0; i < count; i += 10) {
      store.runGroup(Array.from({ length: 10 }, (_, j) => () => {
        const chat = typicalChat(`https://example.com/page-${(i + j) % 50}`);
        return store.create(who, `example.com/page-${(i + j) % 50}`, { broadcastId: chat.id, chat }, Date.now());
      }));
      largest = Math.max(largest, fs.statSync(`${file}-wal`).size);
      await new Promise((r) => setTimeout(r, gapMs));
    }
  } finally {
    store.close();
  }
  return largest;
}

const NEVER = Number.MAX_SAFE_INTEGER;

/**
 * Checkpoints run on a worker while the writes go on. PASSIVE checkpoints alone never let the WAL
 * start over under steady writes. Past `restartFrames` the worker's back-to-back rounds must find a
 * gap between commits and let the writer rewind (no RESTART allowed in that run); and where they are
 * not allowed to try, under busier writes, the forced RESTART must keep it bounded instead.
 */
it('keeps the WAL bounded under steady writes', { timeout: 90_000, retry: 2 }, async () => {
  const unbounded = await steadyWrites({ restartFrames: NEVER }, 3000, 5);
  const rewound = await steadyWrites({ restartFrames: 256, forceFrames: NEVER }, 3000, 5);
  const forced = await steadyWrites({ restartFrames: 256, rewindTries: 0, forceFrames: 256 }, 3000);
  // Measured: 67 MB without either, 8–9 MB with either (256 frames are 1 MB; the file keeps the
  // size it reached before the first rewind, and a loaded machine delays the worker). With 1–3 ms
  // between groups the back-to-back rounds alone did not find their gap on this machine (50–67 MB):
  // that is what the forced RESTART is for. Both ways depend on the worker getting the CPU in time:
  // with both cores of this machine taken by other work, one run in three left the WAL at 34 MB.
  // Hence the retries: a machine that busy fails one run, a broken mechanism fails every run.
  expect(rewound).toBeLessThan(16 * 1024 * 1024);
  expect(forced).toBeLessThan(16 * 1024 * 1024);
  expect(unbounded).toBeGreaterThan(2 * Math.max(rewound, forced));
});
