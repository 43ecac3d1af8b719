import { viewport } from './viewport.js';

/** A word of the page and where its top was in the viewport: the reader's place. */
export interface Place {
  word: Range;
  top: number;
}

/**
 * Runs `change` (a change of the page's layout) and scrolls the window so that the reader's place
 * stays where it was: the first word wholly in view (in document order, the top line of what they
 * were reading) is found before, and the window scrolled by however far it moved. Returns that place.
 *
 * `known`: the place as it was before something else already moved the text (the window's own
 * resize reflows the page before any script hears of it), found earlier while the reader had not
 * scrolled since (side-by-side.ts). It is also what keeps a round trip exact: found anew after a
 * reflow, the first word in view is often another word of the same line, and kept at the top it
 * would send the first one to the line below, a line's creep at each opening and closing.
 *
 * The browsers' own scroll anchoring (`overflow-anchor`) is not enough: a page may turn it off, and
 * it keeps a box, not a word, so a paragraph taller than the window rewraps away under the reader.
 * Text in fixed or sticky boxes (a page's header bar) stays put whatever the layout does, so it is
 * never the anchor; nor is our own UI (`skip`). Only the window's scroll is kept: a page that scrolls
 * its text inside a box of its own keeps the box's scroll offset, which a width change moves as the
 * browser decides.
 */
export function keepPlace(doc: Document, skip: Node, change: () => void, known: Place | null = null): Place | null {
  const win = doc.defaultView;
  // A word the page has taken out since (its range collapsed onto the parent) says nothing of the place.
  const place = (known && !known.word.collapsed ? known : null) ?? (win ? findPlace(doc, win, skip) : null);
  change();
  if (!win || !place) return null;
  const now = place.word.getBoundingClientRect();
  // Hidden by the change (no box): where it "is" is no place to scroll to.
  if (now.height === 0) return null;
  const moved = now.top - place.top;
  // Instant: a page's `scroll-behavior: smooth` would glide to the place instead of keeping it.
  if (Math.abs(moved) >= 0.5) win.scrollBy({ top: moved, behavior: 'instant' });
  return place;
}

/** The reader's place now: the first word wholly in view, where it is. */
export function findPlace(doc: Document, win: Window, skip: Node): Place | null {
  const word = doc.body ? topWord(doc.body, win, skip)?.cloneRange() : undefined;
  return word ? { word, top: word.getBoundingClientRect().top } : null;
}

/** `range` as the reader's place, when it is wholly in view: where they are looking. */
export function placeOf(range: Range, doc: Document): Place | null {
  const win = doc.defaultView;
  const box = range.getBoundingClientRect();
  return win && !range.collapsed && inView(box, doc, win) ? { word: range, top: box.top } : null;
}

/** Wholly inside the viewport (the vertical scrollbar excluded). */
function inView(r: DOMRect, doc: Document, win: Window): boolean {
  return r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= win.innerHeight && r.right <= viewport(doc).clientWidth;
}

const WORD = /\S+/g;

/** The first word of `root` wholly inside the viewport, as a range; null when none is. */
export function topWord(root: Element, win: Window, skip: Node): Range | null {
  const doc = root.ownerDocument;
  const height = win.innerHeight;
  const range = doc.createRange();

  const visit = (parent: Node): Range | null => {
    for (let node = parent.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === Node.TEXT_NODE) {
        const word = wordIn(node as Text);
        if (word) return word;
      } else if (node.nodeType === Node.ELEMENT_NODE && node !== skip && mayHoldAnchor(node as Element)) {
        const found = visit(node);
        if (found) return found;
      }
    }
    return null;
  };
  const mayHoldAnchor = (el: Element): boolean => {
    const box = el.getBoundingClientRect();
    // A box with no size (`display: contents`, an empty inline wrapper) may still hold laid-out text.
    const sized = box.width > 0 || box.height > 0;
    // Its content can overflow it downwards: the larger of its box and its scrolled height.
    const bottom = box.top + Math.max(box.height, el.scrollHeight);
    if (sized && (bottom < 0 || box.top > height)) return false;
    const { position, display } = win.getComputedStyle(el);
    return display !== 'none' && position !== 'fixed' && position !== 'sticky';
  };
  const wordIn = (text: Text): Range | null => {
    if (!/\S/.test(text.data)) return null;
    range.selectNodeContents(text);
    const whole = range.getBoundingClientRect();
    if (whole.bottom < 0 || whole.top > height || (whole.width === 0 && whole.height === 0)) return null;
    for (const match of text.data.matchAll(WORD)) {
      range.setStart(text, match.index);
      range.setEnd(text, match.index + match[0].length);
      const box = range.getBoundingClientRect();
      if (box.top > height) return null;
      if (inView(box, doc, win)) return range;
    }
    return null;
  };
  return visit(root);
}
