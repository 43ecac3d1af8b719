import type { Selector } from '../../../protocol/model.js';
import { locator, type Located } from '../anchoring/index.js';

export interface AnchorTarget {
  id: string;
  target: { selector: Selector[] };
}

/** Milliseconds of locating one slice does before it lets the page (and the port's messages) run. */
export const SLICE_MS = 10;

/** What one slice found. */
export interface Slice {
  /** Targets looked for the first time, each shown as soon as found. */
  fresh: Map<string, Located | null>;
  /** Set by the slice that ends a job that looked for known targets again: all of them, to replace what is known at once. */
  again: Map<string, Located | null> | null;
  /** Whether targets are left for another slice. */
  more: boolean;
}

/**
 * Locating many conversations, in slices. A page joined with 5,000 conversations, or re-anchored
 * after its DOM changed, was one task of 75–350 ms (docs/benchmarks.md, changes 32 and 33): the page
 * could not answer a click meanwhile. A job reads the page's text once, then locates targets until
 * `sliceMs` have passed, and again in the next slice, against that same read. Targets looked for the
 * first time are handed over slice by slice; targets looked for again (`again`) only when the job's
 * last target is located, so what is painted meanwhile is the previous anchoring, and what replaces
 * it is exactly what locating them all in one go at the job's start would have found. Targets that
 * come while a job is under way join it, read and all.
 *
 * That holds while the page does not change. It may, between two slices (observe-dom.ts tells of
 * every change at once, `stale`, before its debounced report): then the read is stale, and the job
 * starts over from a new read, looking again for every target it was to look for again, so that
 * those still replace the old ones together and from one read. Targets found for the first time
 * before the change stay found (like every entry, until the debounced report of the change has
 * everything looked for again): a page that never stops changing (a ticking clock) would otherwise
 * never get its conversations shown.
 *
 * The read outlives its job: targets that come after it (a peer's new conversation, 40 a second in a
 * burst) are located against it, until the page changes (`stale`) or a new job starts over
 * (`restart`, `cancel`). Reading this 528 KB page took 11 ms a time, a third of the content script's
 * work for each new conversation at 5,000 (docs/benchmarks.md, change 36). The read is only as good
 * as the news of the page's changes: observe-dom.ts calls `stale` from its MutationObserver, which
 * reports before any later task of ours, and the controller has it hand over what it holds
 * undelivered (`takeRecords`) before every pass, so no change made in the same task slips past.
 */
export class SlicedAnchoring {
  #job: {
    queue: { target: AnchorTarget; again: boolean }[];
    next: number;
    locate: ((selectors: Selector[]) => Located | null) | null;
    again: Map<string, Located | null> | null;
  } | null = null;
  /** Ids waiting in the job to be looked for the first time. */
  #fresh = new Set<string>();
  /** The last finished job's read of the page, for the next targets, while the page has not changed since. */
  #kept: ((selectors: Selector[]) => Located | null) | null = null;

  constructor(
    private readonly root: () => Element,
    private readonly sliceMs = SLICE_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get running(): boolean {
    return this.#job !== null;
  }

  /** Targets the job has still to look for. */
  get left(): number {
    return this.#job === null ? 0 : this.#job.queue.length - this.#job.next;
  }

  /** Whether `id` waits in the job to be looked for the first time. */
  waiting(id: string): boolean {
    return this.#fresh.has(id);
  }

  /** A new job, on a new read: `again` handed over together at its end, `fresh` as found. The job under way is dropped. */
  restart(again: readonly AnchorTarget[], fresh: readonly AnchorTarget[]): void {
    this.cancel();
    this.#job = { queue: [], next: 0, locate: null, again: again.length > 0 ? new Map() : null };
    for (const target of again) this.#job.queue.push({ target, again: true });
    this.add(fresh);
  }

  /** Targets to look for the first time: in the job under way (its read still holds), else in a new one. */
  add(fresh: readonly AnchorTarget[]): void {
    this.#job ??= { queue: [], next: 0, locate: this.#kept, again: null };
    for (const target of fresh) {
      this.#job.queue.push({ target, again: false });
      this.#fresh.add(target.id);
    }
  }

  /** Drops the job under way and the kept read: the next targets are looked for on a new read. */
  cancel(): void {
    this.#job = null;
    this.#fresh.clear();
    this.#kept = null;
  }

  /** The page changed: the job reads it again, and starts over what it looks for again; what it found for the first time stays found. The kept read goes. */
  stale(): void {
    this.#kept = null;
    const job = this.#job;
    if (job === null) return;
    const left = job.queue.slice(job.next);
    const again = job.queue.slice(0, job.next).filter((q) => q.again);
    job.queue = [...again, ...left];
    job.next = 0;
    job.locate = null;
    job.again?.clear();
  }

  /** One slice: at least `min` targets, then as many as `sliceMs` allows (the page's read counts in it). Null with no job. */
  step(min = 0): Slice | null {
    const job = this.#job;
    if (job === null) return null;
    const started = this.now();
    const fresh = new Map<string, Located | null>();
    if (job.locate === null) {
      try {
        job.locate = locator(this.root());
      } catch (e) {
        warn(e);
        job.locate = unread;
      }
      if (min === 0 && this.now() - started >= this.sliceMs) return { fresh, again: null, more: true };
    }
    let done = 0;
    while (job.next < job.queue.length) {
      const { target, again } = job.queue[job.next++]!;
      let found: Located | null;
      try {
        found = job.locate(target.target.selector);
      } catch (e) {
        warn(e);
        found = null;
      }
      if (again) job.again?.set(target.id, found);
      else {
        fresh.set(target.id, found);
        this.#fresh.delete(target.id);
      }
      done++;
      if (job.next < job.queue.length && done >= min && this.now() - started >= this.sliceMs) return { fresh, again: null, more: true };
    }
    this.#job = null;
    this.#fresh.clear();
    // A failed read is not kept: the next target tries again.
    this.#kept = job.locate === unread ? null : job.locate;
    return { fresh, again: job.again, more: false };
  }
}

/** What a job locates with when the page could not be read: nothing. */
const unread = (): Located | null => null;

function warn(e: unknown): void {
  console.warn('[gloss] anchoring failed:', e instanceof Error ? e.message : String(e));
}
