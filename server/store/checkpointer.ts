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
 * `restartFrames`, a RESTART follows the PASSIVE: it copies the few frames written since and makes
 * the next write rewind the WAL. It holds the writer back only for that short copy and its fsync.
 *
 * Plain JavaScript evaluated in the worker, so it needs no TypeScript loader.
 */
const SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
setInterval(() => {
  try {
    const [done] = db.pragma('wal_checkpoint(PASSIVE)');
    if (done.log > workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
  } catch { /* the next round retries */ }
}, workerData.intervalMs);
`;

export interface CheckpointOptions {
  intervalMs?: number;
  /** WAL frames (pages) past which the WAL is made to start over: 4,096 × 4 KB = 16 MB. */
  restartFrames?: number;
}

export class Checkpointer {
  private readonly worker: Worker;

  constructor(file: string, { intervalMs = 100, restartFrames = 4096 }: CheckpointOptions = {}) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { file, intervalMs, restartFrames, module: require.resolve('better-sqlite3') } });
    this.worker.unref();
    this.worker.on('error', () => {
      /* a failed checkpointer leaves checkpoints to close(); nothing is lost */
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
