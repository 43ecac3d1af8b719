import { composedParent, openShadowRootsIn, shadowRootsAround, spanInto } from '../anchoring/composed.js';
import { lastLineRect, type Rect } from './rect.js';

/**
 * Watches the page's text selection and reports a usable one (non-empty text inside the annotatable
 * root, not in our own UI) or null. Host-page code: no UI here.
 *
 * `selectionchange` also covers selections made by keyboard or script; while a mouse button is down
 * the report waits for the release, so the affordance does not chase the pointer mid-drag.
 */
export interface PageSelection {
  /** One DOM Range: a selection from one tree into another is held in the tree around both (moved out to hosts). */
  range: Range;
  /** Where the selection really starts and ends, possibly in two trees: what is described. */
  points: AbstractRange;
  /** Viewport coordinates of the selection's last line, for placing the affordance. */
  rect: Rect;
}

export function watchSelection(
  doc: Document,
  root: () => Element,
  ownHost: Element,
  onChange: (selection: PageSelection | null) => void,
  signal: AbortSignal,
): void {
  let pointerDown = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const report = () => {
    clearTimeout(timer);
    if (signal.aborted) return;
    onChange(readSelection(doc, root(), ownHost));
  };
  const later = () => {
    clearTimeout(timer);
    if (!pointerDown) timer = setTimeout(report, 100);
  };

  // On the window, capturing: the first stop of every event, so a page that stops them on their way
  // (an anti-copy script on selectionchange, widgets that keep their pointer releases) does not
  // blind us. Only a page listener that stops them at the window itself, registered before us, could.
  const win = doc.defaultView ?? doc;
  win.addEventListener('selectionchange', later, { signal, capture: true });
  win.addEventListener(
    'pointerdown',
    (e) => {
      if (!e.composedPath().includes(ownHost)) pointerDown = true;
    },
    { signal, capture: true },
  );
  const released = () => {
    if (!pointerDown) return;
    pointerDown = false;
    // Let the browser settle the selection (a click collapses it after pointerup).
    clearTimeout(timer);
    timer = setTimeout(report, 10);
  };
  win.addEventListener('pointerup', released, { signal, capture: true });
  // A pointer the browser takes over (a drag of the selection, a touch that pans) ends with
  // pointercancel and never sends pointerup: without this, no later selection would be reported.
  win.addEventListener('pointercancel', released, { signal, capture: true });
  signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
}

export function readSelection(doc: Document, root: Element, ownHost: Element): PageSelection | null {
  const selection = doc.getSelection();
  // Not `selection.isCollapsed`: Chromium reads a selection made inside a shadow tree as collapsed.
  if (!selection || selection.rangeCount === 0) return null;
  const { range, points } = selectedRange(doc, selection);
  if (range.collapsed || (range.toString().trim() === '' && !hasShadowText(range))) return null;
  const common = range.commonAncestorContainer;
  if (ownHost.contains(common) || range.intersectsNode(ownHost)) return null;
  if (shadowRootsAround(common).some((r) => r.host === ownHost)) return null;
  if (!containsComposed(root, common)) return null;
  return { range, points, rect: lastLineRect(range) };
}

/**
 * The selection as one DOM Range, reaching into open shadow trees. `getRangeAt()` may give a range
 * moved out to the shadow host (the spec's direction for it) or the range inside it (Chromium and
 * Firefox today), so the composed range is read with `getComposedRanges({ shadowRoots })` (Chromium
 * 137+; both Chromium 156 and Firefox ESR 153 have it), naming the open roots around the selection: the ones under the
 * range it gives without them, which is moved out to their hosts. A selection from one tree into
 * another becomes one Range in the innermost tree holding both ends (composed.ts, spanInto).
 * Without getComposedRanges, getRangeAt() is what there is.
 */
function selectedRange(doc: Document, selection: Selection): { range: Range; points: AbstractRange } {
  const composed = (selection as Selection & { getComposedRanges?: (o?: { shadowRoots: ShadowRoot[] }) => StaticRange[] }).getComposedRanges;
  const plain = () => {
    const range = selection.getRangeAt(0).cloneRange();
    return { range, points: range };
  };
  if (typeof composed !== 'function') return plain();
  const outer = composed.call(selection)[0];
  if (!outer) return plain();
  const area = outer.startContainer === outer.endContainer ? outer.startContainer : commonAncestor(doc, outer);
  const shadowRoots = openShadowRootsIn(area.nodeType === 1 || area.nodeType === 11 || area.nodeType === 9 ? area : (area.parentNode ?? area));
  const inner = shadowRoots.length > 0 ? composed.call(selection, { shadowRoots })[0] ?? outer : outer;
  const range = spanInto(doc.createRange(), inner.startContainer, inner.startOffset, inner.endContainer, inner.endOffset);
  return { range, points: inner };
}

function commonAncestor(doc: Document, r: StaticRange): Node {
  const live = doc.createRange();
  live.setStart(r.startContainer, r.startOffset);
  live.setEnd(r.endContainer, r.endOffset);
  return live.commonAncestorContainer;
}

/** A range around a shadow host has no text of its own tree, but the reader sees the host's. */
function hasShadowText(range: Range): boolean {
  const common = range.commonAncestorContainer;
  return openShadowRootsIn(common).some((r) => range.intersectsNode(r.host) && (r.textContent ?? '').trim() !== '');
}

/** `root` contains `node`, through the hosts of the shadow trees `node` is in. */
function containsComposed(root: Node, node: Node): boolean {
  for (let n: Node | null = node; n; n = composedParent(n)) if (n === root) return true;
  return false;
}
