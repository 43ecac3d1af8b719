import type { Selector } from '../../../protocol/model.js';
import { anchor, anchorAll } from '../anchoring/index.js';

/**
 * Where each conversation's text is in the page: its Range, or null when it did not anchor.
 * Targets never change, so an entry stays valid until the DOM does; then `update(list, true)` looks
 * for every one again. Host-page code: it knows conversations only by id and selector.
 */
export class Anchors {
  #ranges = new Map<string, Range | null>();

  constructor(private readonly root: () => Element) {}

  /** Anchors what has no entry yet (everything with `all`), and forgets what is not in `list`. */
  update(list: Iterable<{ id: string; target: { selector: Selector[] } }>, all: boolean): void {
    const next = new Map<string, Range | null>();
    const missing: { id: string; target: { selector: Selector[] } }[] = [];
    for (const c of list) {
      const known = all ? undefined : this.#ranges.get(c.id);
      if (known === undefined) missing.push(c);
      else next.set(c.id, known);
    }
    if (missing.length > 0) {
      let found: (Range | null)[];
      try {
        const root = this.root();
        found = missing.length === 1 ? [anchor(root, missing[0]!.target.selector)] : anchorAll(root, missing.map((c) => c.target.selector));
      } catch (e) {
        console.warn('[gloss] anchoring failed:', e instanceof Error ? e.message : String(e));
        found = missing.map(() => null);
      }
      missing.forEach((c, i) => next.set(c.id, found[i] ?? null));
    }
    this.#ranges = next;
  }

  /** The range of `id`: null when it did not anchor, undefined when it has not been looked for. */
  get(id: string): Range | null | undefined {
    return this.#ranges.get(id);
  }

  /** Where a conversation is known to be without a search (the selection it was just made on). */
  set(id: string, range: Range): void {
    this.#ranges.set(id, range);
  }

  /** Another page: nothing found on the old one holds. */
  clear(): void {
    this.#ranges = new Map();
  }

  /** The conversations found on the page (those `keep` keeps), by id. */
  anchored(keep: (id: string) => boolean = () => true): Map<string, Range> {
    const out = new Map<string, Range>();
    for (const [id, range] of this.#ranges) if (range && keep(id)) out.set(id, range);
    return out;
  }
}
