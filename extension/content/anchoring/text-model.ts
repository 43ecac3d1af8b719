/**
 * The text model every selector is counted over: the data of the Text nodes under a root, in
 * document order, leaving out text the reader never sees (script, style, noscript, template) and
 * Gloss' own UI (anything inside `<gloss-root>`), so that our highlights and shadow root never
 * shift the offsets of the page they annotate.
 */

const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'gloss-root']);

const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;
const ELEMENT_NODE = 1;

export class TextIndex {
  /** The whole text of the root, joined once. */
  readonly text: string;
  /** The text nodes of the model, in document order. */
  readonly nodes: readonly Text[];
  /** starts[i] is the global offset of nodes[i]'s first character (ascending, repeats for empty nodes). */
  readonly starts: readonly number[];
  readonly root: Element;
  private positions: Map<Node, number> | null = null;

  constructor(root: Element) {
    const nodes: Text[] = [];
    const starts: number[] = [];
    const parts: string[] = [];
    let length = 0;
    // An explicit walk rather than a TreeWalker with a JS filter: it is markedly faster on big pages
    // and lets a skipped element drop its whole subtree.
    let node: Node | null = root.firstChild;
    while (node) {
      let descend = false;
      if (node.nodeType === TEXT_NODE || node.nodeType === CDATA_SECTION_NODE) {
        const data = (node as Text).data;
        nodes.push(node as Text);
        starts.push(length);
        parts.push(data);
        length += data.length;
      } else if (node.nodeType === ELEMENT_NODE) {
        descend = !SKIPPED.has((node as Element).localName) && node.firstChild !== null;
      }
      if (descend) {
        node = node.firstChild;
        continue;
      }
      while (node && node !== root && !node.nextSibling) node = node.parentNode;
      node = node && node !== root ? node.nextSibling : null;
    }
    this.root = root;
    this.nodes = nodes;
    this.starts = starts;
    this.text = parts.join('');
  }

  get length(): number {
    return this.text.length;
  }

  /**
   * The global offset of a DOM boundary point. A point outside the model (in an element's child
   * list, inside a skipped element, before or after the root) maps to the start of the first model
   * text node after it, which is where the reader would say it is. Null when the point is in
   * another tree than the root.
   */
  offsetOf(container: Node, offset: number): number | null {
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
    range.setStart(startNode, start - (this.starts[s] ?? 0));
    range.setEnd(this.nodes[e] as Text, end - (this.starts[e] ?? 0));
    return range;
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

  /** Built on first use: only describe() needs node → index, anchoring never does. */
  private positionOf(node: Node): number | undefined {
    if (!this.positions) {
      this.positions = new Map();
      this.nodes.forEach((n, i) => this.positions?.set(n, i));
    }
    return this.positions.get(node);
  }
}
