import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import readline from 'node:readline';
import Database from 'better-sqlite3';

const require = createRequire(import.meta.url);

/**
 * Another process's connections to a SQLite file, holding its checkpoint lock for as long as a test
 * says: one connection keeps a read transaction open on the WAL as it is now (`reading`); once told
 * `checkpoint`, another one, on a thread of its own, runs a TRUNCATE checkpoint, which takes the
 * checkpoint lock and then waits (up to 60 s, its busy timeout) for that reader to let go of the
 * frames written after it began. Any other connection's checkpoint meanwhile is answered busy at once,
 * as the server's close is when its checkpointer's last round still runs. `release` ends the read
 * (after the delay it names); the TRUNCATE then copies the whole WAL in and empties it. Plain JavaScript run by node itself.
 */
const SOURCE = `
const { Worker } = require('node:worker_threads');
const readline = require('node:readline');
const [file, module] = process.argv.slice(1);
const Database = require(module);
const say = (line) => process.stdout.write(line + '\\n');
const reader = new Database(file, { fileMustExist: true });
reader.exec('BEGIN');
reader.prepare('SELECT count(*) FROM conversations').get();
say('reading');
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'checkpoint') {
    const source = "const { workerData, parentPort } = require('node:worker_threads');"
      + "const db = new (require(workerData.module))(workerData.file, { fileMustExist: true, timeout: 60000 });"
      + "const [result] = db.pragma('wal_checkpoint(TRUNCATE)'); db.close(); parentPort.postMessage(result);";
    new Worker(source, { eval: true, workerData: { file, module } }).on('message', (r) => say('checkpointed ' + JSON.stringify(r)));
  }
  const [word, ms] = line.split(' ');
  if (word === 'release') {
    setTimeout(() => {
      reader.exec('COMMIT');
      reader.close();
      say('released');
    }, Number(ms));
  }
});
`;

export interface CheckpointHolder {
  /** Starts the other connection's TRUNCATE checkpoint and resolves once it holds the checkpoint lock. */
  holdCheckpoint(): Promise<void>;
  /**
   * Ends the read that holds the checkpoint back, `afterMs` from now: the checkpoint then completes
   * (asynchronously, in that process), while the caller may be blocked in a synchronous call.
   */
  release(afterMs: number): void;
  /** Resolves with the TRUNCATE's result row once it returned. */
  checkpointed: Promise<{ busy: number; log: number; checkpointed: number }>;
  /** Ends the process: its stdin closed, or SIGKILL (its checkpoint then never completes). */
  stop(signal?: 'SIGKILL'): Promise<void>;
}

/** Opens the reader on `file` (a database in WAL mode with frames in its WAL) and resolves once it reads. */
export async function startCheckpointHolder(file: string): Promise<CheckpointHolder> {
  const child: ChildProcess = spawn(process.execPath, ['-e', SOURCE, file, require.resolve('better-sqlite3')], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = readline.createInterface({ input: child.stdout! });
  const waiters = new Map<string, (rest: string) => void>();
  lines.on('line', (line) => {
    const [word, ...rest] = line.split(' ');
    waiters.get(word!)?.(rest.join(' '));
  });
  const said = (word: string) => new Promise<string>((resolve) => waiters.set(word, resolve));
  const reading = said('reading');
  await Promise.race([reading, exited.then(() => Promise.reject(new Error('the checkpoint holder exited before it read')))]);
  const checkpointed = said('checkpointed').then((json) => JSON.parse(json) as { busy: number; log: number; checkpointed: number });
  return {
    async holdCheckpoint() {
      child.stdin!.write('checkpoint\n');
      // A probe of our own: a PASSIVE checkpoint is answered busy exactly while another connection
      // holds the checkpoint lock (a bounded poll: the holder is another process, with no event to wait on).
      const probe = new Database(file, { fileMustExist: true });
      try {
        const deadline = Date.now() + 10_000;
        while ((probe.pragma('wal_checkpoint(PASSIVE)') as { busy: number }[])[0]!.busy !== 1) {
          if (Date.now() > deadline) throw new Error('the other connection never held the checkpoint lock');
          await new Promise((r) => setTimeout(r, 5));
        }
      } finally {
        probe.close();
      }
    },
    release(afterMs) {
      child.stdin!.write(`release ${afterMs}\n`);
    },
    checkpointed,
    async stop(signal) {
      if (signal) child.kill(signal);
      else child.stdin!.end();
      await exited;
    },
  };
}
