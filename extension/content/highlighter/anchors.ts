import type { Located, TextSpan } from '../anchoring/index.js';
import { SlicedAnchoring, type AnchorTarget, type Slice } from './sliced-anchoring.js';

/**
 * Targets a render pass locates itself, whatever the time, so a page with a few conversations is
 * anchored in the pass that asks, as it always was. More are left to the slices, the page's read
 * included: in the pass, that read (20–30 ms on the 528 KB page of docs/benchmarks.md) joined the
 * task of the port message that brought them, a task of up to 100 ms.
 */
const PASS_MAX = 100;

/**
 * Where each conversation's text is in the page: its Range (and the ranges that paint it, one per
 * tree when it crosses into a web component), or null when it did not anchor; no entry while it has
 * not been looked for yet.
 * Targets never change, so an entry stays valid until the DOM does; then `update(list, true)` looks
 * for every one again. Many are done in slices (sliced-anchoring.ts, `continueAnchoring`); entries
 * found before stay until the last slice replaces them all at once. Host-page code: it knows conversations only by id and selector.
 */
export class Anchors {
  #found = new Map<string, Located | null>();
  #wanted = new Set<string>();
  #reanchorings = 0;

  constructor(
    root: () => Element,
    /** Where the locating is done (its slice length, its clock). */
    private readonly job: SlicedAnchoring = new SlicedAnchoring(root),
  ) {}

  /**
   * Looks for what has no entry yet (everything again with `all`), and forgets what is not in
   * `list`. On a page with few conversations it is done at once; otherwise `continueAnchoring` does
   * it, a slice a call, while `busy`.
   */
  update(list: Iterable<AnchorTarget>, all: boolean): void {
    const items = [...list];
    const next = new Map<string, Located | null>();
    const known: AnchorTarget[] = [];
    const missing: AnchorTarget[] = [];
    for (const c of items) {
      const found = this.#found.get(c.id);
      if (found !== undefined) {
        next.set(c.id, found);
        known.push(c);
      } else if (all || !this.job.waiting(c.id)) missing.push(c);
    }
    this.#found = next;
    this.#wanted = new Set(items.map((c) => c.id));
    if (all) this.job.restart(known, missing);
    else if (missing.length > 0) this.job.add(missing);
    if (this.job.running && this.job.left <= PASS_MAX) this.#take(this.job.step(PASS_MAX));
  }

  /** Whether some locating is left for `continueAnchoring`. */
  get busy(): boolean {
    return this.job.running;
  }

  /** One more slice of the locating `update` started: `more` while some is left (call again in a later task), `changed` when entries changed. */
  continueAnchoring(): { more: boolean; changed: boolean } {
    return this.#take(this.job.step());
  }

  #take(slice: Slice | null): { more: boolean; changed: boolean } {
    if (slice === null) return { more: false, changed: false };
    let changed = false;
    for (const [id, located] of slice.fresh) {
      // Gone meanwhile, or placed by hand (set) meanwhile: left as it is.
      if (!this.#wanted.has(id) || this.#found.has(id)) continue;
      this.#found.set(id, located);
      changed = true;
    }
    if (slice.again !== null) {
      // Conversations that went meanwhile stay gone; those that came were looked for as fresh ones.
      for (const [id, located] of slice.again) if (this.#found.has(id)) this.#found.set(id, keepSame(this.#found.get(id), located));
      this.#reanchorings++;
      changed = true;
    }
    return { more: slice.more, changed };
  }

  /**
   * Re-anchorings finished so far. A range found where it was keeps its Range object (the highlight
   * then has nothing to paint again), but the page may have moved it relative to others: whoever
   * keeps an order of ranges must take it again after each.
   */
  get reanchorings(): number {
    return this.#reanchorings;
  }

  /** The page changed: locating under way read its text before, and reads it again (sliced-anchoring.ts, `stale`). */
  pageChanged(): void {
    this.job.stale();
  }

  /** The range of `id`: null when it did not anchor, undefined when it has not been looked for. */
  get(id: string): Range | null | undefined {
    const found = this.#found.get(id);
    return found === undefined ? undefined : (found?.range ?? null);
  }

  /** The ranges that paint `id` (one per tree it is in), when it anchored: `anchored()` for one conversation, without a pass over all. */
  partsOf(id: string): readonly Range[] | undefined {
    return this.#found.get(id)?.parts;
  }

  /** The offsets of `id`'s text in the read of the page it was found in, when known (anchoring/anchor.ts, Located). */
  spanOf(id: string): TextSpan | undefined {
    return this.#found.get(id)?.at;
  }

  /** Where a conversation is known to be without a search (the selection it was just made on), `parts` painting it. */
  set(id: string, range: Range, parts: readonly Range[] = [range]): void {
    this.#found.set(id, { range, parts });
  }

  /** Another page: nothing found on the old one holds. */
  clear(): void {
    this.#found = new Map();
    this.#wanted = new Set();
    this.job.cancel();
  }

  /** The conversations found on the page (those `keep` keeps), by id, with the ranges that paint each. */
  anchored(keep: (id: string) => boolean = () => true): Map<string, readonly Range[]> {
    const out = new Map<string, readonly Range[]>();
    for (const [id, found] of this.#found) if (found && keep(id)) out.set(id, found.parts);
    return out;
  }
}

/**
 * What a re-anchoring found, with the Range objects of what was known where they are the same (every
 * boundary alike): a page's change seldom moves most of its conversations, and a Highlight given the
 * same ranges is not painted again (highlights.ts). The span is the new read's.
 */
function keepSame(known: Located | null | undefined, found: Located | null): Located | null {
  if (!known || !found || !sameBoundaries(known.range, found.range)) return found;
  if (known.parts.length !== found.parts.length || !known.parts.every((p, i) => sameBoundaries(p, found.parts[i]!))) return found;
  return { range: known.range, parts: known.parts, ...(found.at ? { at: found.at } : {}) };
}

function sameBoundaries(a: AbstractRange, b: AbstractRange): boolean {
  return a.startContainer === b.startContainer && a.startOffset === b.startOffset && a.endContainer === b.endContainer && a.endOffset === b.endOffset;
}
