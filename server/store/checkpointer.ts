import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * Runs SQLite's WAL checkpoints on a worker thread with its own connection, instead of inside
 * whichever commit crosses the auto-checkpoint threshold on the event loop. A checkpoint copies the
 * WAL into the database and fsyncs: measured at about half the wall time of every create on disk
 * (docs/benchmarks.md). PASSIVE never blocks the writer; committed changes are in the WAL either way.
 *
 * But PASSIVE alone never lets the WAL start over while writes keep coming: SQLite rewinds the WAL
 * only when a write begins with every frame already copied, and under steady load there is always a
 * commit newer than the checkpoint. The WAL then grew without bound (231 MB after 10,000 creates at
 * 2,000/s) and every page read searched a longer WAL index. So once the WAL holds more than
 * `restartFrames`, the worker repeats PASSIVE rounds back to back, each copying only what was
 * committed during the last, until one finds nothing new: then every frame is copied and the next
 * write rewinds the WAL by itself. That needs only a gap between two commits as long as one short
 * round (about 1 ms), which a server below saturation always has. Only when `rewindTries` rounds in
 * a row found new commits and the WAL has passed `forceFrames` does the worker force the rewind with
 * a RESTART, which holds the writer back for its copy and two fsyncs; the event loop then sleeps in
 * SQLite's busy handler (1, 2, 5, 10 ms steps). Forcing it at `restartFrames` every time stalled the
 * event loop for 5–20 ms once a second at 500 creates/s (docs/benchmarks.md, change 15).
 *
 * Plain JavaScript evaluated in the worker, so it needs no TypeScript loader.
 */
const SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
const passive = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
setInterval(() => {
  try {
    let done = passive();
    if (done.log <= workerData.restartFrames) return;
    for (let i = 0; i < workerData.rewindTries; i++) {
      const next = passive();
      // No frame since the last round (or the writer already rewound): the next write starts over.
      if (next.log <= done.log) return;
      done = next;
    }
    if (done.log > workerData.forceFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch { /* the next round retries */ }
}, workerData.intervalMs);
`;

export interface CheckpointOptions {
  intervalMs?: number;
  /** WAL frames (pages) past which the worker tries to make the WAL start over: 4,096 × 4 KB = 16 MB. */
  restartFrames?: number;
  /** Back-to-back PASSIVE rounds tried before forcing a rewind. */
  rewindTries?: number;
  /** WAL frames past which a rewind is forced with RESTART: by default 4 × restartFrames (64 MB). */
  forceFrames?: number;
}

export class Checkpointer {
  private readonly worker: Worker;

  constructor(file: string, { intervalMs = 100, restartFrames = 4096, rewindTries = 20, forceFrames = restartFrames * 4 }: CheckpointOptions = {}) {
    const workerData = { file, intervalMs, restartFrames, rewindTries, forceFrames, module: require.resolve('better-sqlite3') };
    this.worker = new Worker(SOURCE, { eval: true, workerData });
    this.worker.unref();
    this.worker.on('error', () => {
      /* a failed checkpointer leaves checkpoints to close(); nothing is lost */
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
