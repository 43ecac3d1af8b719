import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

const require = createRequire(import.meta.url);

/**
 * Runs SQLite's WAL checkpoints on a worker thread with its own connection, instead of inside
 * whichever commit crosses the auto-checkpoint threshold on the event loop. A checkpoint copies the
 * WAL into the database and fsyncs: measured at about half the wall time of every create on disk
 * (docs/benchmarks.md). PASSIVE never blocks the writer; committed changes are in the WAL either way.
 * Plain JavaScript evaluated in the worker, so it needs no TypeScript loader.
 */
const SOURCE = `
const { workerData } = require('node:worker_threads');
const Database = require(workerData.module);
const db = new Database(workerData.file, { fileMustExist: true });
setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* the next round retries */ }
}, workerData.intervalMs);
`;

export class Checkpointer {
  private readonly worker: Worker;

  constructor(file: string, intervalMs = 100) {
    this.worker = new Worker(SOURCE, { eval: true, workerData: { file, intervalMs, module: require.resolve('better-sqlite3') } });
    this.worker.unref();
    this.worker.on('error', () => {
      /* a failed checkpointer leaves checkpoints to close(); nothing is lost */
    });
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}
