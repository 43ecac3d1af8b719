import type { Outcome, Store } from './types.js';

interface Job {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the store operations that arrive within one event-loop turn run in ONE SQLite
 * transaction, committed at the end of the turn (setImmediate), and only then is each caller
 * answered, so acknowledgements and broadcasts still follow the commit. On disk the commit (the WAL
 * write) was the largest cost of a change (docs/benchmarks.md); now a busy turn pays it once.
 *
 * A refused operation is rolled back alone and the others of the group stand (the store runs a
 * group optimistically, and again with a savepoint per operation when anything in it throws, and
 * once more one transaction per operation when a storage error cost the whole transaction: see
 * SqliteStore.runGroup); seqs are allocated inside, so they stay gap-free. Operations run in arrival
 * order, reads included: a read that arrives while writes are waiting joins the queue behind them
 * and sees them, exactly as it would have one by one. A read with nothing waiting runs at once.
 */
export class GroupCommit {
  private queue: Job[] = [];

  constructor(private readonly store: Pick<Store, 'runGroup'>) {}

  /** Queues a mutation for this turn's transaction; settles after the commit. */
  write<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.push({ fn, resolve: resolve as (v: unknown) => void, reject }) === 1) setImmediate(() => this.flush());
    });
  }

  /** Runs a read now, or behind the writes already waiting (so it sees them, in order). */
  read<T>(fn: () => T): Promise<T> {
    if (this.queue.length > 0) return this.write(fn);
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err as Error);
    }
  }

  /** Commits what is waiting now (also called on shutdown, before the store closes). */
  flush(): void {
    const jobs = this.queue;
    if (jobs.length === 0) return;
    this.queue = [];
    let outcomes: Outcome[];
    try {
      outcomes = this.store.runGroup(jobs.map((j) => j.fn));
    } catch (err) {
      // Not a refusal of one operation (SqliteStore.runGroup answers those, storage errors included):
      // the store itself failed, and nothing of the group was stored.
      for (const job of jobs) job.reject(err);
      return;
    }
    jobs.forEach((job, i) => {
      const o = outcomes[i]!;
      if (o.ok) job.resolve(o.value);
      else job.reject(o.error);
    });
  }
}
