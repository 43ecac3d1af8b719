/**
 * Which highlighted conversation is under a point: the caret position at (x, y) tested against each
 * range. The shortest containing range wins, so a small highlight inside a long one stays clickable.
 *
 * A caret inside a shadow tree is given only for the shadow roots named in `shadowRoots` (else it
 * is moved out to the host): the caller names those its highlights are in. caretRangeFromPoint (the
 * fallback where caretPositionFromPoint is missing) cannot be told, so there highlights in shadow
 * trees are not clickable; Chromium 156 and Firefox ESR 153 both take the option (checked here).
 */
export function caretAt(doc: Document, x: number, y: number, shadowRoots: ShadowRoot[] = []): { node: Node; offset: number } | null {
  const d = doc as Document & {
    caretPositionFromPoint?: (x: number, y: number, options?: { shadowRoots: ShadowRoot[] }) => { offsetNode: Node; offset: number } | null;
    caretRangeFromPoint?: (x: number, y: number) => Range | null;
  };
  if (typeof d.caretPositionFromPoint === 'function') {
    const pos = shadowRoots.length > 0 ? d.caretPositionFromPoint(x, y, { shadowRoots }) : d.caretPositionFromPoint(x, y);
    return pos ? { node: pos.offsetNode, offset: pos.offset } : null;
  }
  if (typeof d.caretRangeFromPoint === 'function') {
    const r = d.caretRangeFromPoint(x, y);
    return r ? { node: r.startContainer, offset: r.startOffset } : null;
  }
  return null;
}

/** The conversation under a point: of those there (`idsAt`), the shortest, the innermost of nested ones. */
export function hitTest(ranges: ReadonlyMap<string, readonly Range[]>, node: Node, offset: number): string | null {
  let best: { id: string; length: number } | null = null;
  for (const id of idsAt(ranges, node, offset)) {
    let length = 0;
    for (const range of ranges.get(id)!) length += range.toString().length;
    if (best === null || length < best.length) best = { id, length };
  }
  return best?.id ?? null;
}

/**
 * Every conversation under a point, overlapping ones included. `ranges`: each conversation's ranges
 * (one per tree); a point in any of them is on the conversation. One `isPointInRange` per range: at
 * 5,000 conversations 1.0–1.3 ms in Chromium 156 on the benchmarks' page (docs/architecture.md, "Linked hover").
 */
export function idsAt(ranges: ReadonlyMap<string, readonly Range[]>, node: Node, offset: number): string[] {
  const out: string[] = [];
  for (const [id, parts] of ranges) if (parts.some((range) => inRange(range, node, offset))) out.push(id);
  return out;
}

/** The same ids, in any order: a pointer moving inside the same highlights changes nothing. */
export function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id) => b.includes(id));
}

function inRange(range: Range, node: Node, offset: number): boolean {
  try {
    return range.isPointInRange(node, offset);
  } catch {
    return false;
  }
}
