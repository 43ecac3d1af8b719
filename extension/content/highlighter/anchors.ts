import type { Selector } from '../../../protocol/model.js';
import { locate, locateAll, type Located } from '../anchoring/index.js';

/**
 * Where each conversation's text is in the page: its Range (and the ranges that paint it, one per
 * tree when it crosses into a web component), or null when it did not anchor.
 * Targets never change, so an entry stays valid until the DOM does; then `update(list, true)` looks
 * for every one again. Host-page code: it knows conversations only by id and selector.
 */
export class Anchors {
  #found = new Map<string, Located | null>();

  constructor(private readonly root: () => Element) {}

  /** Anchors what has no entry yet (everything with `all`), and forgets what is not in `list`. */
  update(list: Iterable<{ id: string; target: { selector: Selector[] } }>, all: boolean): void {
    const next = new Map<string, Located | null>();
    const missing: { id: string; target: { selector: Selector[] } }[] = [];
    for (const c of list) {
      const known = all ? undefined : this.#found.get(c.id);
      if (known === undefined) missing.push(c);
      else next.set(c.id, known);
    }
    if (missing.length > 0) {
      let found: (Located | null)[];
      try {
        const root = this.root();
        found = missing.length === 1 ? [locate(root, missing[0]!.target.selector)] : locateAll(root, missing.map((c) => c.target.selector));
      } catch (e) {
        console.warn('[gloss] anchoring failed:', e instanceof Error ? e.message : String(e));
        found = missing.map(() => null);
      }
      missing.forEach((c, i) => next.set(c.id, found[i] ?? null));
    }
    this.#found = next;
  }

  /** The range of `id`: null when it did not anchor, undefined when it has not been looked for. */
  get(id: string): Range | null | undefined {
    const found = this.#found.get(id);
    return found === undefined ? undefined : (found?.range ?? null);
  }

  /** Where a conversation is known to be without a search (the selection it was just made on), `parts` painting it. */
  set(id: string, range: Range, parts: readonly Range[] = [range]): void {
    this.#found.set(id, { range, parts });
  }

  /** Another page: nothing found on the old one holds. */
  clear(): void {
    this.#found = new Map();
  }

  /** The conversations found on the page (those `keep` keeps), by id, with the ranges that paint each. */
  anchored(keep: (id: string) => boolean = () => true): Map<string, readonly Range[]> {
    const out = new Map<string, readonly Range[]>();
    for (const [id, found] of this.#found) if (found && keep(id)) out.set(id, found.parts);
    return out;
  }
}
