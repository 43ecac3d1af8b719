import { commonTree, liftPoint } from '../anchoring/composed.js';

/**
 * Page order for the panel: anchored conversations by where their range starts in the document,
 * then the ones that did not anchor (orphans) by creation time. Pure, so it is tested in jsdom.
 */
export interface Placed<T> {
  item: T;
  range: Range | null;
  createdAt: number;
}

export function orderByPage<T>(list: readonly Placed<T>[]): { anchored: Placed<T>[]; orphaned: Placed<T>[] } {
  const anchored = list.filter((p) => p.range !== null);
  const orphaned = list.filter((p) => p.range === null);
  anchored.sort((a, b) => compareRanges(a.range as Range, b.range as Range) || a.createdAt - b.createdAt);
  orphaned.sort((a, b) => a.createdAt - b.createdAt);
  return { anchored, orphaned };
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
