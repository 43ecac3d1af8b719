import type { PageState } from './reducer.js';

/**
 * A busy page's cache writes are spaced: the next starts no sooner than this many times the last
 * one's own duration after it ended, so writing takes at most about a fifth of the worker's time.
 */
export const WRITE_SPACING = 4;
/** The longest a busy page's cache lags behind its state, past its write's own duration. */
export const MAX_WRITE_GAP_MS = 1500;

/** Something whose state is written: a page (read when the write starts, not when it was asked for). */
interface Source {
  readonly key: string;
  readonly state: PageState;
}

interface Entry {
  source: Source;
  /** A write is asked for and not started yet. */
  due: boolean;
  inFlight: boolean;
  timer: ReturnType<typeof setTimeout> | null;
  /** When the next write may start (performance.now()). */
  nextAt: number;
}

/**
 * When each page's confirmed state is written to the IndexedDB cache (cache.ts). A write is the
 * page's whole state (its structured clone and `put`: 50–100 ms at 5,000 conversations), so one
 * after every change kept the worker busy through a burst of peer creates (docs/benchmarks.md,
 * change 37). Now: at most one write in flight per page; a quiet page is written in the turn it
 * changed (however many changes that turn brought); a busy one at most once per spacing
 * (WRITE_SPACING, MAX_WRITE_GAP_MS), each time with the state it has then.
 *
 * The cache may so lag the page by a second or two, and a worker killed meanwhile (the browser
 * closed; an idle worker is stopped after 30 s, long after its timers ran) loses the changes since
 * the last write, its own confirmed ops included (they have left the outbox). That is acceptable because the server is the source of truth:
 * each write is one row holding the conversations with the seq they are at, so a restarted worker
 * resumes from an older seq and the server's resync brings the rest (page-sync.ts). The outbox
 * (operations.ts, outbox-store.ts) is not spaced: its ops exist nowhere else until sent.
 */
export class CacheWrites {
  #entries = new Map<string, Entry>();

  constructor(
    private readonly write: (state: PageState) => Promise<void>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** The page's state changed: it is written soon (a page let go meanwhile is still written, by its timer). */
  changed(source: Source): void {
    let entry = this.#entries.get(source.key);
    if (entry === undefined) {
      entry = { source, due: false, inFlight: false, timer: null, nextAt: 0 };
      this.#entries.set(source.key, entry);
    }
    entry.source = source;
    if (entry.due) return;
    entry.due = true;
    if (!entry.inFlight) this.#schedule(entry);
  }

  /**
   * Forgets the writes asked for and not started (the cache is being emptied on a switch of scope: a
   * later write would bring the previous scope's data back). One in flight was issued before the clear.
   */
  cancel(): void {
    for (const entry of this.#entries.values()) if (entry.timer !== null) clearTimeout(entry.timer);
    this.#entries.clear();
  }

  #forget(entry: Entry): void {
    entry.timer = null;
    if (!entry.due && !entry.inFlight && this.#entries.get(entry.source.key) === entry) this.#entries.delete(entry.source.key);
  }

  #schedule(entry: Entry): void {
    if (entry.timer !== null) clearTimeout(entry.timer);
    entry.timer = null;
    const wait = entry.nextAt - this.now();
    if (wait <= 0) queueMicrotask(() => void this.#run(entry));
    else entry.timer = setTimeout(() => void this.#run(entry), wait);
  }

  async #run(entry: Entry): Promise<void> {
    entry.timer = null;
    if (!entry.due || this.#entries.get(entry.source.key) !== entry) return;
    entry.due = false;
    entry.inFlight = true;
    const started = this.now();
    try {
      await this.write(entry.source.state);
    } finally {
      const ended = this.now();
      entry.inFlight = false;
      entry.nextAt = ended + Math.min(MAX_WRITE_GAP_MS, WRITE_SPACING * (ended - started));
      if (this.#entries.get(entry.source.key) === entry) {
        if (entry.due) this.#schedule(entry);
        // Kept until its spacing has passed, so that a change meanwhile waits for it too; then forgotten.
        else entry.timer = setTimeout(() => this.#forget(entry), entry.nextAt - ended);
      }
    }
  }
}
