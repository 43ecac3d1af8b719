/**
 * The page as the reader sees it spans the document and the OPEN shadow roots of its web
 * components. `element.shadowRoot` gives open roots only, so closed ones (and the browser's own,
 * e.g. <video> controls) stay out of everything built on these helpers, by design: a page that
 * closes its shadow root says its content is not for scripts, ours included.
 *
 * Gloss' own UI is an open shadow root on `<gloss-root>`: it is never entered.
 */

const OWN_HOST = 'gloss-root';

/** The open shadow root of `el` that Gloss may read, or null (none, closed, or our own UI). */
export function openShadowRoot(el: Element): ShadowRoot | null {
  if (el.localName === OWN_HOST) return null;
  return el.shadowRoot ?? null;
}

/** The parent of `node` in the composed tree: a shadow root's parent is its host. */
export function composedParent(node: Node): Node | null {
  const parent = node.parentNode;
  if (parent) return parent;
  return isShadowRoot(node) ? node.host : null;
}

export function isShadowRoot(node: Node): node is ShadowRoot {
  return node.nodeType === 11 && 'host' in node && (node as ShadowRoot).host != null;
}

/** Every open shadow root under `node` (itself included), nested ones after their host's. */
export function openShadowRootsIn(node: Node): ShadowRoot[] {
  const out: ShadowRoot[] = [];
  const doc = node.ownerDocument ?? (node as Document);
  const visit = (top: Node) => {
    if (top.nodeType === 1) {
      const own = openShadowRoot(top as Element);
      if (own) {
        out.push(own);
        visit(own);
      }
    }
    const walker = doc.createTreeWalker(top, 1 /* SHOW_ELEMENT */);
    for (let el = walker.nextNode() as Element | null; el; el = walker.nextNode() as Element | null) {
      if (el.localName === OWN_HOST) continue;
      const root = openShadowRoot(el);
      if (root) {
        out.push(root);
        visit(root);
      }
    }
  };
  visit(node);
  return out;
}

/** The shadow roots `node` is inside, innermost first (empty for a node of the document tree). */
export function shadowRootsAround(node: Node): ShadowRoot[] {
  const out: ShadowRoot[] = [];
  for (let root = node.getRootNode(); isShadowRoot(root); root = root.host.getRootNode()) out.push(root);
  return out;
}

/**
 * A boundary point moved out into the tree `tree` (one of the trees around it): a point inside a
 * shadow tree becomes the point before (`after` false) or after its host in the enclosing tree, until
 * it is in `tree`. This is how a span from one tree into another is held by one DOM Range.
 */
export function liftPoint(node: Node, offset: number, tree: Node, after: boolean): { node: Node; offset: number } {
  let point = { node, offset };
  for (let root = point.node.getRootNode(); root !== tree && isShadowRoot(root); root = point.node.getRootNode()) {
    const host = root.host;
    const parent = host.parentNode;
    if (!parent) break;
    const index = Array.prototype.indexOf.call(parent.childNodes, host);
    point = { node: parent, offset: after ? index + 1 : index };
  }
  return point;
}

/**
 * Sets `range` from a point in one tree to a point in another (or the same) and returns it: one DOM
 * Range lives in one tree, so it is held in the innermost tree around both ends, each end moved out
 * to its host (see docs/architecture.md).
 */
export function spanInto(range: Range, start: Node, startOffset: number, end: Node, endOffset: number): Range {
  const tree = commonTree(start, end);
  const from = liftPoint(start, startOffset, tree, false);
  const to = liftPoint(end, endOffset, tree, true);
  range.setStart(from.node, from.offset);
  range.setEnd(to.node, to.offset);
  return range;
}

/** The innermost tree (document or shadow root) that holds both nodes, seen through their hosts. */
export function commonTree(a: Node, b: Node): Node {
  const aroundB = new Set<Node>([...shadowRootsAround(b), b.getRootNode({ composed: true })]);
  for (const root of shadowRootsAround(a)) if (aroundB.has(root)) return root;
  return a.getRootNode({ composed: true });
}
