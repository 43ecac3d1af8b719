import type { Logger } from '../log.js';
import { StorageFault, storageCode } from '../store/storage-fault.js';

/**
 * The operator's view of storage failures at run time: ONE log line per kind for the life of the
 * process (the store becoming full; each SQLite code of any other failure), not one per refused
 * operation, which under load would be thousands a second and fill the very disk that is full. The
 * line names the SQLite code and which operation met it first, never what it carried.
 */
export class StorageLog {
  private readonly seen = new Set<string>();
  /** Every refusal, counted for /metrics: the log says when a kind began, the counter how long it lasts. */
  readonly refused = { store_full: 0, store_failed: 0 };

  constructor(
    private readonly log: Logger,
    private readonly limitMb: number | undefined,
  ) {}

  /** Notes a fault met by `op`; logs it when its kind is new. */
  note(fault: StorageFault, op: string): void {
    this.refused[fault.code]++;
    const kind = fault.code === 'store_full' ? 'store_full' : fault.sqliteCode;
    if (this.seen.has(kind)) return;
    this.seen.add(kind);
    if (fault.code === 'store_full') {
      this.log.warn('store_full', {
        limitMb: this.limitMb,
        op,
        message: 'the database is at GLOSS_DB_MAX_MB: writes are refused store_full until deletions free room or the server restarts with a larger limit; deletions and reads go on',
      });
    } else {
      this.log.error('store_failed', { sqliteCode: fault.sqliteCode, op, message: 'an operation on the database failed; it was refused store_failed and the server goes on' });
    }
  }

  /** The StorageFault `err` is (a raw SQLite storage error is `store_failed`), noted; null when it is none. */
  failed(err: unknown, op: string): StorageFault | null {
    const code = storageCode(err);
    const fault = err instanceof StorageFault ? err : code === null ? null : new StorageFault('store_failed', code);
    if (fault) this.note(fault, op);
    return fault;
  }
}
