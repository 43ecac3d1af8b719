import type { PageDelta } from './unsaved.js';

/**
 * A busy page's cache writes are spaced: the next starts no sooner than this many times the last
 * one's own duration after it ended, so writing takes at most about a fifth of the worker's time.
 */
export const WRITE_SPACING = 4;
/** The longest a busy page's cache lags behind its state, past its write's own duration. */
export const MAX_WRITE_GAP_MS = 1500;

/** Something whose state is written: a page (what it lacks in the cache is taken when the write starts, not when it was asked for). */
interface Source {
  readonly key: string;
  takeUnsaved(): PageDelta | null;
  notSaved(delta: PageDelta): void;
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
 * When each page's confirmed state is written to the IndexedDB cache (cache.ts). A write once was the
 * page's whole state (its structured clone and `put`: 50–100 ms at 5,000 conversations), so one
 * after every change kept the worker busy through a burst of peer creates (docs/benchmarks.md,
 * change 37); it is now the buckets the page changed since its last stored write (unsaved.ts, changes
 * 40 and 41), but a state replaced whole is still written whole. So: at most one write in flight per
 * page; a quiet page is written in the turn it changed (however many changes that turn brought); a
 * busy one at most once per spacing (WRITE_SPACING, MAX_WRITE_GAP_MS), each time with what it lacks
 * then. The spacing is kept: a write of a change still clones its buckets (about 80 conversations each
 * at 5,000) and a whole write costs about the old single row (change 41), and spacing by the last
 * write's own duration keeps a run of either from taking the worker while it costs the cheap writes
 * only milliseconds.
 *
 * The cache may so lag the page, and a worker killed meanwhile (the browser closed; an idle worker is
 * stopped after 30 s, long after its timers ran) loses the changes since the last write, its own
 * confirmed ops included (they have left the outbox). That is acceptable because the server is the
 * source of truth: each write stores its conversations and the seq they are at in one transaction, so
 * a restarted worker resumes from an older seq and the server's resync brings the rest (page-sync.ts).
 * A write not stored is given back to its page (Page.notSaved) and covered by the next. The outbox
 * (operations.ts, outbox-store.ts) is not spaced: its ops exist nowhere else until sent.
 */
export class CacheWrites {
  #entries = new Map<string, Entry>();

  constructor(
    /** Stores a delta; false when it was not stored. */
    private readonly write: (delta: PageDelta) => Promise<boolean>,
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

  async #stored(delta: PageDelta): Promise<boolean> {
    try {
      return await this.write(delta);
    } catch (error) {
      console.warn('[gloss] could not write the page cache:', error instanceof Error ? error.message : String(error));
      return false;
    }
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
    const { source } = entry;
    const delta = source.takeUnsaved();
    try {
      // Given back before anything else runs: a change meanwhile was added to the unsaved ones already.
      if (delta !== null && !(await this.#stored(delta))) source.notSaved(delta);
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
