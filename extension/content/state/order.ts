import { commonTree, liftPoint } from '../anchoring/composed.js';
import type { TextSpan } from '../anchoring/index.js';

/**
 * Page order for the panel: anchored conversations by where their range starts in the document,
 * then the ones that did not anchor (orphans) by creation time. Pure, so it is tested in jsdom.
 */
export interface Placed<T> {
  item: T;
  range: Range | null;
  createdAt: number;
  /** The range's offsets in the read of the page it was found in, when known (anchoring/anchor.ts, Located). */
  at?: TextSpan | undefined;
}

export function orderByPage<T>(list: readonly Placed<T>[], known?: PageOrder): { anchored: Placed<T>[]; orphaned: Placed<T>[] } {
  let anchored = list.filter((p) => p.range !== null);
  const orphaned = list.filter((p) => p.range === null);
  anchored = known ? known.sort(anchored) : anchored.sort(compareAnchored);
  orphaned.sort((a, b) => a.createdAt - b.createdAt);
  return { anchored, orphaned };
}

/**
 * Two spans found in one read of a page without open shadow roots are in page order by their offsets,
 * exactly as a DOM comparison of their ranges would put them, for a fraction of its cost: a
 * re-anchored page (every range new) sorted 5,000 ranges in 64–82 ms by DOM comparisons, one task.
 */
const compareAnchored = (a: Placed<unknown>, b: Placed<unknown>) =>
  (a.at && b.at && a.at.read === b.at.read ? a.at.start - b.at.start || a.at.end - b.at.end : compareRanges(a.range as Range, b.range as Range)) || a.createdAt - b.createdAt;

/**
 * The last page order, kept across renders so that a render sorts only what is new. A full sort
 * compares ranges O(N log N) times, and a comparison of two DOM boundary points walks the tree:
 * with 5,000 conversations that was 40 ms of every render, once per live change (docs/benchmarks.md,
 * section 8). Ranges seen in the last order keep their place relative to each other (a Range never
 * changes while the page's DOM does not; when it does, anchoring makes new ones, which are sorted
 * again); each new range is put in by binary search, after those it ties with, as the stable sort
 * put a later one. When most of the list is new (the first render, a page re-anchored), it is one
 * full sort, as before.
 */
export class PageOrder {
  #rank = new Map<Range, number>();

  /** The page was anchored again: ranges kept from before may have moved relative to each other (highlighter/anchors.ts). */
  forget(): void {
    this.#rank = new Map();
  }

  sort<T>(anchored: Placed<T>[]): Placed<T>[] {
    const old: Placed<T>[] = [];
    const fresh: Placed<T>[] = [];
    for (const p of anchored) (this.#rank.has(p.range as Range) ? old : fresh).push(p);
    let out: Placed<T>[];
    if (fresh.length * 4 > anchored.length) out = anchored.sort(compareAnchored);
    else {
      out = old.sort((a, b) => (this.#rank.get(a.range as Range) ?? 0) - (this.#rank.get(b.range as Range) ?? 0));
      for (const p of fresh.sort(compareAnchored)) {
        let lo = 0;
        let hi = out.length;
        while (lo < hi) {
          const mid = (lo + hi) >>> 1;
          if (compareAnchored(p, out[mid]!) < 0) hi = mid;
          else lo = mid + 1;
        }
        out.splice(lo, 0, p);
      }
    }
    this.#rank = new Map(out.map((p, i) => [p.range as Range, i]));
    return out;
  }
}

function compareRanges(a: Range, b: Range): number {
  try {
    if (a.startContainer.getRootNode() !== b.startContainer.getRootNode()) return compareAcrossTrees(a, b);
    return a.compareBoundaryPoints(Range.START_TO_START, b) || a.compareBoundaryPoints(Range.END_TO_END, b);
  } catch {
    // Ranges in different documents (a detached node) cannot be compared: keep their relative order.
    return 0;
  }
}

/**
 * Ranges in different trees (one in a web component's shadow tree): compared where their starts
 * meet, each start moved out to its host in the innermost tree holding both. A range inside a
 * component and one starting right before that component's host tie, and keep their creation order.
 */
function compareAcrossTrees(a: Range, b: Range): number {
  const tree = commonTree(a.startContainer, b.startContainer);
  const pa = liftPoint(a.startContainer, a.startOffset, tree, false);
  const pb = liftPoint(b.startContainer, b.startOffset, tree, false);
  const probe = a.startContainer.ownerDocument?.createRange();
  if (!probe) return 0;
  probe.setStart(pa.node, pa.offset);
  return -probe.comparePoint(pb.node, pb.offset);
}
