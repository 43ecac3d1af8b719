import { composedParent, openShadowRoot, spanInto } from './composed.js';

/**
 * The text model every selector is counted over: the data of the Text nodes under a root, in
 * document order, leaving out text the reader never sees (script, style, noscript, template) and
 * Gloss' own UI (anything inside `<gloss-root>`), so that our highlights and shadow root never
 * shift the offsets of the page they annotate.
 *
 * Open shadow trees are read in composed (flat-tree) order, the order the reader sees: an element
 * with an open shadow root contributes its shadow tree's text in its place, and a `<slot>` in it
 * contributes the light-DOM nodes assigned to it (or its fallback content when none are). So
 * slotted text sits where it is rendered, between the shadow text around its slot, and a host's
 * light children that no slot takes (never rendered) are left out. Light-DOM order instead would
 * put a component's slotted title after its whole shadow template, making quotes and their context
 * read differently from the page. A page without open shadow roots is walked exactly as before, so
 * its offsets do not change. Closed shadow roots are not reachable (composed.ts).
 */

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'gloss-root']);

const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const ELEMENT_NODE = 1;

/** Where a reached node's text begins and ends in the model (composed pages only, built on demand). */
type Marks = Map<Node, { start: number; end: number }>;

/** Reads of a page's text made so far (TextIndex.read). */
let reads = 0;

export class TextIndex {
  /** Which read of the page this is: offsets of two spans compare only within one read. */
  readonly read = ++reads;
  /** The whole text of the root, joined once. */
  readonly text: string;
  /** The text nodes of the model, in model order (document order on a page without open shadow roots). */
  readonly nodes: readonly Text[];
  /** starts[i] is the global offset of nodes[i]'s first character (ascending, repeats for empty nodes). */
  readonly starts: readonly number[];
  readonly root: Element;
  /** The open shadow roots the model read, in the order it read them (empty: a plain page). */
  readonly shadowRoots: readonly ShadowRoot[];
  private positions: Map<Node, number> | null = null;
  private marks: Marks | null = null;

  constructor(root: Element) {
    const walk = new Walk(null);
    walk.children(root);
    this.root = root;
    this.nodes = walk.nodes;
    this.starts = walk.starts;
    this.text = walk.parts.join('');
    this.shadowRoots = walk.shadowRoots;
  }

  get length(): number {
    return this.text.length;
  }

  /**
   * The global offset of a DOM boundary point. A point outside the model (in an element's child
   * list, inside a skipped element, before or after the root) maps to the start of the first model
   * text node after it, which is where the reader would say it is. Null when the point is in
   * another tree than the root (or, on a page with open shadow roots, than the trees under it).
   */
  offsetOf(container: Node, offset: number): number | null {
    if (this.shadowRoots.length > 0) return this.composedOffsetOf(container, offset);
    if (container.getRootNode() !== this.root.getRootNode()) return null;
    const i = this.positionOf(container);
    if (i !== undefined) return (this.starts[i] ?? 0) + Math.min(offset, this.nodes[i]?.length ?? 0);
    const point = (container.ownerDocument ?? (container as Document)).createRange();
    point.setStart(container, offset);
    let lo = 0;
    let hi = this.nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (point.comparePoint(this.nodes[mid] as Text, 0) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.nodes.length ? (this.starts[lo] ?? 0) : this.length;
  }

  /**
   * offsetOf() when the model is not in document order (shadow trees, slots): DOM order cannot be
   * searched, so every node the walk reached is marked with where its text starts and ends. A point
   * before a child is that child's start; a point in something the model does not hold (a skipped
   * element, a host's unslotted child) is the end of the nearest thing around it that it does.
   */
  private composedOffsetOf(container: Node, offset: number): number | null {
    if (container.getRootNode({ composed: true }) !== this.root.getRootNode({ composed: true })) return null;
    const i = this.positionOf(container);
    if (i !== undefined) return (this.starts[i] ?? 0) + Math.min(offset, this.nodes[i]?.length ?? 0);
    const marks = this.marksOf();
    const mark = marks.get(container);
    if (mark && container.nodeType !== TEXT_NODE && container.nodeType !== CDATA_SECTION_NODE) {
      for (let child = container.childNodes[offset] ?? null; child; child = child.nextSibling) {
        const at = marks.get(child);
        if (at) return at.start;
      }
      return mark.end;
    }
    for (let node = composedParent(container); node; node = composedParent(node)) {
      const around = marks.get(node);
      if (around) return around.end;
    }
    // Outside the root: before it or after it.
    return container.compareDocumentPosition(this.root) & 4 /* FOLLOWING */ ? 0 : this.length;
  }

  /** A DOM Range over the global offsets [start, end), or null when they are out of the model. */
  rangeOf(start: number, end: number): Range | null {
    if (!(start >= 0 && end >= start && end <= this.length) || this.nodes.length === 0) return null;
    // The start goes in the node holding character `start`, the end in the node holding character
    // `end - 1`, so the range never begins at the end of one node nor ends at the start of the next.
    const s = this.nodeAt(start);
    const e = end > start ? this.nodeAt(end - 1) : s;
    const startNode = this.nodes[s] as Text;
    const range = this.root.ownerDocument.createRange();
    // Selecting the start node first means the boundary checks that setStart/setEnd run compare
    // nearby points, not a point deep in the page with the document's start (jsdom does that
    // comparison by walking the tree, which made every fresh range cost a page walk).
    range.selectNodeContents(startNode);
    const endNode = this.nodes[e] as Text;
    const startOffset = start - (this.starts[s] ?? 0);
    const endOffset = end - (this.starts[e] ?? 0);
    if (this.shadowRoots.length === 0 || startNode.getRootNode() === endNode.getRootNode()) {
      range.setStart(startNode, startOffset);
      range.setEnd(endNode, endOffset);
      return range;
    }
    return spanInto(range, startNode, startOffset, endNode, endOffset);
  }

  /**
   * The range of [start, end) as the browser can paint it: one Range per run of its text that lies
   * in one tree. rangeOf() holds a span from one tree into another in the tree around both, moved
   * out to hosts, but a CSS highlight paints a range's text only in the range's own tree, so that
   * range would leave the component's part unpainted (and, for clicks, out of reach). A run is cut
   * wherever the model's next text node is in another tree; a tree entered twice (light text around
   * a component's slotted text) gives one range per visit, each within its own tree. Null when
   * rangeOf() paints as it is: a page without open shadow roots, a span in one tree with none between
   * its ends, offsets out of the model.
   */
  treeParts(start: number, end: number): Range[] | null {
    if (this.shadowRoots.length === 0 || !(start >= 0 && end > start && end <= this.length) || this.nodes.length === 0) return null;
    const s = this.nodeAt(start);
    const e = this.nodeAt(end - 1);
    const parts: Range[] = [];
    let runs = 0;
    let first = s;
    for (let i = s; i <= e; i++) {
      const tree = (this.nodes[i] as Text).getRootNode();
      if (i < e && (this.nodes[i + 1] as Text).getRootNode() === tree) continue;
      // nodes[first..i] are one run in one tree: from `start` (or its first node's start) to `end` (or its last node's end).
      runs++;
      const from = Math.max(start, this.starts[first] ?? 0);
      const to = Math.min(end, (this.starts[i] ?? 0) + (this.nodes[i] as Text).length);
      if (to > from) {
        const part = this.root.ownerDocument.createRange();
        part.selectNodeContents(this.nodes[first] as Text);
        part.setStart(this.nodes[first] as Text, from - (this.starts[first] ?? 0));
        part.setEnd(this.nodes[i] as Text, to - (this.starts[i] ?? 0));
        parts.push(part);
      }
      first = i + 1;
    }
    // One run: rangeOf() is already in that tree. Runs of empty text nodes alone paint nothing.
    return runs === 1 || parts.length === 0 ? null : parts;
  }

  /** Index of the last node starting at or before `offset` (so empty nodes are passed over). */
  private nodeAt(offset: number): number {
    let lo = 0;
    let hi = this.nodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Built on first use, by walking again: only describe() on a page with shadow roots needs it. */
  private marksOf(): Marks {
    if (!this.marks) {
      const walk = new Walk(new Map());
      walk.children(this.root);
      walk.marks?.set(this.root, { start: 0, end: this.length });
      this.marks = walk.marks as Marks;
    }
    return this.marks;
  }

  /** Built on first use: only describe() needs node → index, anchoring never does. */
  private positionOf(node: Node): number | undefined {
    if (!this.positions) {
      this.positions = new Map();
      this.nodes.forEach((n, i) => this.positions?.set(n, i));
    }
    return this.positions.get(node);
  }
}

/** One pass over a root's text in composed order, optionally marking where each reached node is. */
class Walk {
  readonly nodes: Text[] = [];
  readonly starts: number[] = [];
  readonly parts: string[] = [];
  readonly shadowRoots: ShadowRoot[] = [];
  length = 0;

  constructor(readonly marks: Marks | null) {}

  /** The subtree under `parent` (not `parent` itself). */
  children(parent: Node): void {
    // An explicit walk rather than a TreeWalker with a JS filter: it is markedly faster on big pages
    // and lets a skipped element drop its whole subtree. Only shadow hosts and slots recurse.
    let node: Node | null = parent.firstChild;
    while (node) {
      const descend = this.enter(node);
      if (descend) {
        node = node.firstChild;
        continue;
      }
      this.leave(node);
      while (node && node !== parent && !node.nextSibling) {
        node = node.parentNode;
        if (node && node !== parent) this.leave(node);
      }
      node = node && node !== parent ? node.nextSibling : null;
    }
  }

  /** Takes in `node`'s own text (and a shadow tree or slot's), true when its children come next. */
  private enter(node: Node): boolean {
    this.marks?.set(node, { start: this.length, end: this.length });
    if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) {
      const data = (node as Text).data;
      this.nodes.push(node as Text);
      this.starts.push(this.length);
      this.parts.push(data);
      this.length += data.length;
      return false;
    }
    if (node.nodeType !== ELEMENT_NODE) return false;
    const el = node as Element;
    if (SKIPPED.has(el.localName)) return false;
    const shadow = openShadowRoot(el);
    if (shadow) {
      // What the reader sees of a host is its shadow tree; its light children only through slots.
      this.shadowRoots.push(shadow);
      this.marks?.set(shadow, { start: this.length, end: this.length });
      this.children(shadow);
      this.leave(shadow);
      return false;
    }
    if (el.localName === 'slot') {
      const assigned = (el as HTMLSlotElement).assignedNodes?.() ?? [];
      if (assigned.length > 0) {
        for (const a of assigned) {
          if (this.enter(a)) this.children(a);
          this.leave(a);
        }
        return false;
      }
    }
    return node.firstChild !== null;
  }

  private leave(node: Node): void {
    const mark = this.marks?.get(node);
    if (mark) mark.end = this.length;
  }
}
